import { generateKeyPairSync } from 'node:crypto';
import { TEST_BRANDING } from '../helpers/gateway-harness.ts';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';

let dir: string;
const SIP_PASSWORD_VALUE = 'sip-password-canary-8812';
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  T_SIP_USER: 'gateway',
  T_SIP_PASSWORD: SIP_PASSWORD_VALUE,
  T_SIP_BAD: 'has|pipe',
};
const GOOD_SIP2 = { host: 'ils.library.example', port: 6001, user: { env: 'T_SIP_USER' }, password: { env: 'T_SIP_PASSWORD' }, location: 'gateway', institution: 'westport', timeoutMs: 5000, pool: 4, dialect: { nameFormat: 'last, first', patronId: 'XI', birthDate: 'PB', patronType: 'PC', homeBranch: 'AQ' } };

async function bootWith(name: string, patrons: unknown, env: Record<string, string> = ENV) {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      publicUrl: 'https://gateway.library.test',
      vendorsDir: join(dir, 'vendors'),
      patrons,
      secrets: { pseudonymSecret: { env: 'T_PSEUDONYM' }, sessionKey: { env: 'T_SESSION' }, assertionKeys: [{ kid: 'k1', privateKey: { env: 'T_KEY' } }] },
      // Required in production.
      branding: TEST_BRANDING,
    }),
  );
  return boot({ settingsFile: file, env, production: true, clock: () => NOW });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-sip2-'));
  await mkdir(join(dir, 'vendors'));
  await writeFile(join(dir, 'vendors', 'test-vendor.yaml'), contractYaml({ contract: 'contract: { reference: T-1, effective: 2026-01-01, expires: 2027-12-15 }' }));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('boot() with patrons.source: sip2', () => {
  it('boots with every key of the issue, without connecting to the ILS (gateway check never touches it)', async () => {
    let connections = 0;
    const listener = createServer(() => connections++);
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    const result = await bootWith('good', { source: 'sip2', sip2: { ...GOOD_SIP2, host: '127.0.0.1', port } });
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    expect(result.booted.settings.patrons.source).toBe('sip2');
    expect(result.booted.patrons.count).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(0);
    result.booted.patrons.close?.();
    listener.close();
  });

  it('needs no patron file with source: sip2, and takes the defaults (port 6001, pool 4, 5 s, keep-alive 30 s, no TLS, "first last")', async () => {
    const result = await bootWith('minimal', { source: 'sip2', sip2: { host: 'ils.library.example', institution: 'westport' } });
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    expect(result.booted.settings.patrons.sip2).toMatchObject({ port: 6001, pool: 4, timeoutMs: 5000, keepAliveMs: 30_000, tls: false, dialect: { nameFormat: 'first last' } });
    expect(result.booted.settings.patrons.file).toBeUndefined();
    result.booted.patrons.close?.();
  });

  it.each([
    ['0 (off)', 0],
    ['1000 (the smallest interval)', 1000],
    ['an hour (the largest)', 3_600_000],
  ])('accepts keepAliveMs %s', async (_name, keepAliveMs) => {
    const result = await bootWith(`keep-alive-${keepAliveMs}`, { source: 'sip2', sip2: { ...GOOD_SIP2, keepAliveMs } });
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    expect(result.booted.settings.patrons.sip2?.keepAliveMs).toBe(keepAliveMs);
    result.booted.patrons.close?.();
  });

  it.each([
    ['no sip2 section', { source: 'sip2' }, 'patrons.sip2', /required when patrons.source is sip2/],
    ['no file with source: file', { source: 'file' }, 'patrons.file', /required when patrons.source is file/],
    ['an unknown source', { source: 'ldap', file: 'x.yaml' }, 'patrons.source', /not one of the allowed values/],
    ['a misspelt key', { source: 'sip2', sip2: { ...GOOD_SIP2, hots: 'x' } }, 'patrons.sip2.hots', /unknown key/],
    ['no host', { source: 'sip2', sip2: { ...GOOD_SIP2, host: undefined } }, 'patrons.sip2.host', /required/],
    ['a URL as host', { source: 'sip2', sip2: { ...GOOD_SIP2, host: 'tcp://ils.example:6001' } }, 'patrons.sip2.host', /expected format/],
    ['port 0', { source: 'sip2', sip2: { ...GOOD_SIP2, port: 0 } }, 'patrons.sip2.port', /too small/],
    ['port 70000', { source: 'sip2', sip2: { ...GOOD_SIP2, port: 70_000 } }, 'patrons.sip2.port', /too large/],
    ['a port as text', { source: 'sip2', sip2: { ...GOOD_SIP2, port: '6001' } }, 'patrons.sip2.port', /must be a number/],
    ['tls as text', { source: 'sip2', sip2: { ...GOOD_SIP2, tls: 'yes' } }, 'patrons.sip2.tls', /true or false/],
    ['ca without tls', { source: 'sip2', sip2: { ...GOOD_SIP2, ca: { file: 'ca.pem' } } }, 'patrons.sip2.ca', /only used with tls: true/],
    ['servername without tls', { source: 'sip2', sip2: { ...GOOD_SIP2, servername: 'ils' } }, 'patrons.sip2.servername', /only used with tls: true/],
    ['a user without a password', { source: 'sip2', sip2: { ...GOOD_SIP2, password: undefined } }, 'patrons.sip2.password', /go together/],
    ['a password written in the file', { source: 'sip2', sip2: { ...GOOD_SIP2, password: SIP_PASSWORD_VALUE } }, 'patrons.sip2.password', /./],
    ['an institution with |', { source: 'sip2', sip2: { ...GOOD_SIP2, institution: 'west|port' } }, 'patrons.sip2.institution', /expected format/],
    ['no institution', { source: 'sip2', sip2: { ...GOOD_SIP2, institution: undefined } }, 'patrons.sip2.institution', /required/],
    ['a timeout of 10 ms', { source: 'sip2', sip2: { ...GOOD_SIP2, timeoutMs: 10 } }, 'patrons.sip2.timeoutMs', /too small/],
    ['a pool of 0', { source: 'sip2', sip2: { ...GOOD_SIP2, pool: 0 } }, 'patrons.sip2.pool', /too small/],
    ['a pool of 1000', { source: 'sip2', sip2: { ...GOOD_SIP2, pool: 1000 } }, 'patrons.sip2.pool', /too large/],
    ['a keep-alive every 500 ms (it only loads the ILS)', { source: 'sip2', sip2: { ...GOOD_SIP2, keepAliveMs: 500 } }, 'patrons.sip2.keepAliveMs', /too small: a status request more than once a second/],
    ['a negative keep-alive', { source: 'sip2', sip2: { ...GOOD_SIP2, keepAliveMs: -1 } }, 'patrons.sip2.keepAliveMs', /too small/],
    ['a keep-alive of more than an hour', { source: 'sip2', sip2: { ...GOOD_SIP2, keepAliveMs: 7_200_000 } }, 'patrons.sip2.keepAliveMs', /too large/],
    ['an unknown name format', { source: 'sip2', sip2: { ...GOOD_SIP2, dialect: { nameFormat: 'first, last' } } }, 'patrons.sip2.dialect.nameFormat', /not one of the allowed values/],
    ['a dialect field of three letters', { source: 'sip2', sip2: { ...GOOD_SIP2, dialect: { patronId: 'XID' } } }, 'patrons.sip2.dialect.patronId', /expected format/],
    ['the PIN field as patronId', { source: 'sip2', sip2: { ...GOOD_SIP2, dialect: { patronId: 'AD' } } }, 'patrons.sip2.dialect.patronId', /secret or reading history/],
    ['a loans list as homeBranch', { source: 'sip2', sip2: { ...GOOD_SIP2, dialect: { homeBranch: 'AU' } } }, 'patrons.sip2.dialect.homeBranch', /secret or reading history/],
    ['an unknown dialect key', { source: 'sip2', sip2: { ...GOOD_SIP2, dialect: { email: 'BE' } } }, 'patrons.sip2.dialect.email', /unknown key/],
  ])('refuses %s, naming the setting and how to fix it, without echoing secrets', async (name, patrons, path, message) => {
    const result = await bootWith(name.replace(/\W+/g, '-'), patrons);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((candidate) => candidate.path === path);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    expect(problem?.message).toMatch(message);
    expect(problem?.fix.length).toBeGreaterThan(5);
    expect(JSON.stringify(result.problems)).not.toContain(SIP_PASSWORD_VALUE);
  });

  it.each([
    ['an unset environment variable', { ...GOOD_SIP2, password: { env: 'T_NOT_SET' } }, 'patrons.sip2.password', /T_NOT_SET is not set/],
    ['a secret with | (it would forge a field of the 93)', { ...GOOD_SIP2, password: { env: 'T_SIP_BAD' } }, 'patrons.sip2.password', /contains \|/],
    ['an unreadable CA file', { ...GOOD_SIP2, tls: true, ca: { file: 'no-such-ca.pem' } }, 'patrons.sip2.ca.file', /cannot be read/],
  ])('refuses %s at startup', async (name, sip2, path, message) => {
    const result = await bootWith(name.replace(/\W+/g, '-'), { source: 'sip2', sip2 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toContainEqual(expect.stringMatching(new RegExp(`^${path.replaceAll('.', '\\.')}: .*${message.source}`)));
    expect(JSON.stringify(result.problems)).not.toContain('has|pipe');
  });
});
