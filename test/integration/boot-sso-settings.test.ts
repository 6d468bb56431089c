import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, formatBootMessages } from '../../src/boot.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-oidc-provider.ts';

const CLIENT_SECRET_VALUE = 'sso-client-secret-canary-5521';
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  T_SSO_SECRET: CLIENT_SECRET_VALUE,
};

let dir: string;
let provider: ScriptedProvider;
let deadIssuer: string;

async function bootWith(name: string, sections: { patrons?: unknown; admin?: unknown }) {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      publicUrl: 'https://gateway.library.test',
      branding: { libraryName: 'Test Library', website: 'https://library.test/', contact: { phone: '555-0100' }, forgotPin: 'https://library.test/pin' },
      vendorsDir: join(dir, 'vendors'),
      patrons: sections.patrons ?? { file: join(dir, 'patrons.yaml') },
      secrets: { pseudonymSecret: { env: 'T_PSEUDONYM' }, sessionKey: { env: 'T_SESSION' }, assertionKeys: [{ kid: 'k1', privateKey: { env: 'T_KEY' } }] },
      ...(sections.admin ? { admin: sections.admin } : {}),
    }),
  );
  return boot({ settingsFile: file, env: ENV, production: true, clock: () => NOW });
}

const oidc = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'Library Account', issuer: provider?.issuer ?? 'https://idp.library.test', clientId: 'gateway', clientSecret: { env: 'T_SSO_SECRET' }, ...overrides });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-sso-'));
  await mkdir(join(dir, 'vendors'));
  await writeFile(join(dir, 'vendors', 'test-vendor.yaml'), contractYaml({ contract: 'contract: { reference: T-1, effective: 2026-01-01, expires: 2027-12-15 }' }));
  await writeFile(join(dir, 'patrons.yaml'), stringify([{ patronId: 'p1', barcode: '1' }]));
  provider = await startScriptedProvider({ clientId: 'gateway', clientSecret: CLIENT_SECRET_VALUE }, 'sub');
  // A port nothing listens on: a provider that is down.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  deadIssuer = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});

describe('boot() with the library single sign-on', () => {
  it('boots patrons.source: oidc with a reachable provider: no patron file needed, no warning, the defaults taken', async () => {
    const result = await bootWith('good', { patrons: { source: 'oidc', oidc: oidc() } });
    if (!result.ok) throw new Error(formatBootMessages(result).join('\n'));
    expect(result.warnings).toEqual([]);
    expect(result.booted.settings.patrons.oidc).toMatchObject({ scopes: ['openid'], claims: {}, timeoutMs: 5000 });
    expect(result.booted.sso.patrons?.name).toBe('Library Account');
    expect(result.booted.sso.staff).toBeUndefined();
    expect(await result.booted.patrons.source.findById('anyone')).toBeUndefined();
  });

  it('boots admin.sso beside card patrons', async () => {
    const result = await bootWith('staff', { admin: { sso: oidc({ staffClaim: { claim: 'groups', values: ['it'] } }) } });
    if (!result.ok) throw new Error(formatBootMessages(result).join('\n'));
    expect(result.booted.sso.staff?.staffClaim).toEqual({ claim: 'groups', values: ['it'] });
    expect(result.booted.sso.patrons).toBeUndefined();
  });

  it('a provider that cannot be reached at startup is a warning naming the issuer setting (the gateway still starts)', async () => {
    const result = await bootWith('down', { patrons: { source: 'oidc', oidc: oidc({ issuer: deadIssuer, timeoutMs: 1000 }) } });
    expect(result.ok).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ path: 'patrons.oidc.issuer' });
    expect(result.warnings[0]?.message).toContain('(provider_unreachable)');
    expect(result.warnings[0]?.fix).toContain('/.well-known/openid-configuration');
  });

  const bad: ReadonlyArray<{ name: string; sections: { patrons?: unknown; admin?: unknown }; path: string; says: RegExp; fix?: string }> = [
    { name: 'source: oidc without its section', sections: { patrons: { source: 'oidc' } }, path: 'patrons.oidc', says: /required when patrons.source is oidc/ },
    { name: 'an http issuer on another host (tokens in the clear)', sections: { patrons: { source: 'oidc', oidc: oidc({ issuer: 'http://idp.library.test' }) } }, path: 'patrons.oidc.issuer', says: /must be https/ },
    { name: 'scopes without openid (no ID token would come back)', sections: { patrons: { source: 'oidc', oidc: oidc({ scopes: ['profile'] }) } }, path: 'patrons.oidc.scopes', says: /must include openid/ },
    { name: 'a mapping for patronId (always the keyed sub)', sections: { patrons: { source: 'oidc', oidc: oidc({ claims: { patronId: 'employee_id' } }) } }, path: 'patrons.oidc.claims.patronId', says: /cannot be mapped/, fix: 'remove claims.patronId' },
    { name: 'a mapping for a field that is not canonical', sections: { patrons: { source: 'oidc', oidc: oidc({ claims: { favouriteColour: 'colour' } }) } }, path: 'patrons.oidc.claims.favouriteColour', says: /^is not a canonical patron field$/, fix: 'use one of barcode, firstName, lastName' },
    { name: 'a client secret whose variable is not set', sections: { patrons: { source: 'oidc', oidc: oidc({ clientSecret: { env: 'T_MISSING' } }) } }, path: 'patrons.oidc.clientSecret', says: /T_MISSING is not set/ },
    { name: 'a client secret written in the file', sections: { patrons: { source: 'oidc', oidc: oidc({ clientSecret: CLIENT_SECRET_VALUE }) } }, path: 'patrons.oidc.clientSecret', says: /.+/ },
    { name: 'a misspelt key', sections: { patrons: { source: 'oidc', oidc: oidc({ clientID: 'x' }) } }, path: 'patrons.oidc.clientID', says: /unknown key/ },
    { name: 'admin.sso without a staff claim (nobody would be staff)', sections: { admin: { sso: oidc() } }, path: 'admin.sso.staffClaim', says: /required/ },
    { name: 'a staff claim without values', sections: { admin: { sso: oidc({ staffClaim: { claim: 'groups', values: [] } }) } }, path: 'admin.sso.staffClaim.values', says: /too small/ },
  ];
  it.each(bad)('refuses $name: a problem at $path with a fix, never quoting the secret', async ({ sections, path, says, fix }) => {
    const result = await bootWith('bad', sections);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((candidate) => candidate.path === path);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    expect(problem?.message).toMatch(says);
    expect(problem?.fix.length).toBeGreaterThan(5);
    if (fix !== undefined) expect(problem?.fix).toContain(fix);
    expect(problem?.file).toContain('bad.yaml');
    expect(formatBootMessages(result).join('\n')).not.toContain(CLIENT_SECRET_VALUE);
  });
});
