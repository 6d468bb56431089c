import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { AssertionKey } from '../../settings/assertion-keys.ts';

/**
 * Sends a finished report to the grantor's endpoint (the grant contract's `upstream.url`), only to
 * a host its contract allows, never following redirects, within its timeout. With `jwt` delivery it
 * carries a short-lived assertion from the gateway (iss = public URL, aud = the grant id; no
 * patron in it). Resolves to the grantor's status code; rejects with a message naming no URL.
 */
export async function submitReport(options: {
  contract: CompiledContract;
  body: string;
  contentType: string;
  issuer: string;
  keys: ReadonlyArray<AssertionKey>;
  now: Date;
}): Promise<number> {
  const { contract } = options;
  const upstream = contract.upstream;
  if (!upstream) throw new Error(`${contract.id} has no upstream to submit to`);
  const url = new URL(upstream.url);
  if (!upstream.hosts.includes(url.hostname.toLowerCase())) throw new Error(`${contract.id}: the upstream host is not in its contract's hosts`);
  const headers: Record<string, string> = { 'content-type': options.contentType, 'content-length': String(Buffer.byteLength(options.body)) };
  if (contract.identity.delivery === 'jwt') {
    const key = options.keys[0];
    if (!key) throw new Error('jwt delivery needs an assertion signing key');
    const seconds = Math.floor(options.now.getTime() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setAudience(contract.id)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + contract.identity.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
    headers[contract.identity.header.toLowerCase()] = contract.identity.header.toLowerCase() === 'authorization' ? `Bearer ${token}` : token;
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: upstream.timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => reject(new Error(`the grantor's endpoint could not be reached (${error.code ?? error.message})`)));
    req.end(options.body);
  });
}
