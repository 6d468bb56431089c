/**
 * A self-signed certificate for loopback TLS tests, made with the `openssl` CLI into a temporary
 * folder (generated per run, never committed).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCertificate {
  readonly cert: string;
  readonly key: string;
  /** The certificate's file, for settings that name a CA file. */
  readonly certFile: string;
  readonly dir: string;
  remove(): void;
}

/** A fresh EC key and certificate for `commonName` (also its DNS name, with 127.0.0.1 as an IP name). */
export function createSelfSignedCertificate(commonName = 'ils.test'): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sip2-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=DNS:${commonName},IP:127.0.0.1`,
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    certFile,
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
