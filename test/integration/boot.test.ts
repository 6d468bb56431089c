import { generateKeyPairSync } from 'node:crypto';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.ts';
import { ROOT } from '../helpers/cli.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';

let dir: string;
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  T_ED_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

async function writeSettings(name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, [`vendorsDir: ${join(dir, 'vendors')}`, `patrons: { file: ${join(ROOT, 'config/demo-patrons.yaml')} }`, ...lines].join('\n'));
  return file;
}

const REAL_SECRETS = ['publicUrl: https://gateway.library.test', 'branding: { libraryName: Test Library, website: "https://library.test/", contact: { phone: 555-0100 }, forgotPin: "https://library.test/pin" }', 'secrets:', '  pseudonymSecret: { env: T_PSEUDONYM }', '  sessionKey: { env: T_SESSION }', '  assertionKeys:', '    - { kid: k1, privateKey: { env: T_KEY } }'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-'));
  await mkdir(join(dir, 'vendors'));
  await writeFile(join(dir, 'vendors', 'test-vendor.yaml'), contractYaml({ contract: 'contract: { reference: T-1, effective: 2026-01-01, expires: 2026-12-15 }' }));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('boot()', () => {
  it('returns the booted parts, frozen, with the contract warnings of its clock (a frozen one here)', async () => {
    const result = await boot({ settingsFile: await writeSettings('ok.yaml', REAL_SECRETS), env: ENV, production: true, clock: () => NOW });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
    const { booted } = result;
    expect([...booted.contracts.keys()]).toEqual(['test-vendor']);
    expect(booted.assertionKeys.map((k) => k.kid)).toEqual(['k1']);
    expect(booted.patrons.count).toBeGreaterThan(0);
    for (const part of [booted, booted.settings, booted.keys, booted.assertionKeys, booted.patrons]) expect(Object.isFrozen(part)).toBe(true);
    expect(result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(['contract.expires: the contract expires in 17 day(s); renew it or test-vendor will close']);
  });

  it('refuses a key whose type does not match its alg, saying which type it is (an Ed25519 key named ES256)', async () => {
    const lines = REAL_SECRETS.map((line) => line.replace('T_KEY', 'T_ED_KEY'));
    const result = await boot({ settingsFile: await writeSettings('mismatch.yaml', lines), env: ENV, production: false, clock: () => NOW });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['secrets.assertionKeys[0].privateKey: key "k1" is a private key of type ed25519, which cannot sign ES256']);
  });

  it('never makes development keys in production, even for demo settings (they would not be secret)', async () => {
    await mkdir(join(dir, 'production'));
    const result = await boot({ settingsFile: await writeSettings('production/demo.yaml', ['publicUrl: https://gateway.library.test', 'demo: true']), env: {}, production: true, clock: () => NOW });
    expect(result.ok).toBe(false);
    await expect(access(join(dir, 'production', '.dev-keys.json'))).rejects.toThrow();
  });

  it('makes development keys in demo mode outside production, and says so (usingDevKeys)', async () => {
    const result = await boot({ settingsFile: await writeSettings('demo-dev.yaml', ['publicUrl: http://localhost:8080', 'demo: true']), env: {}, production: false, clock: () => NOW });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
    expect(result.booted.keys.usingDevKeys).toBe(true);
    expect(result.booted.assertionKeys).toHaveLength(1);
  });
});

describe('boot(): trustProxy', () => {
  it.each([
    ['a host name', 'lb.library.test'],
    ['a range with a prefix longer than the address', '10.0.0.0/33'],
    ['an IPv6 range with a prefix longer than 128', '2001:db8::/129'],
    ['a prefix that is not a number', '10.0.0.0/eight'],
    ['an empty entry', ''],
    ['an address with a port', '10.0.0.1:8080'],
  ])('refuses %s at its dotted path, saying what to write instead', async (_name, entry) => {
    const file = await writeSettings(`trust-${_name.replace(/\W+/g, '-')}.yaml`, [...REAL_SECRETS, `trustProxy: ["10.1.2.3", ${JSON.stringify(entry)}]`]);
    const result = await boot({ settingsFile: file, env: ENV, production: true, clock: () => NOW });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => `${p.file}|${p.path}: ${p.message}`)).toEqual([`${file}|trustProxy[1]: is not an IP address or CIDR range`]);
    expect(problems[0]?.fix).toMatch(/10\.0\.0\.0\/8/);
  });

  it('accepts addresses and ranges of both families, and defaults to none', async () => {
    const listed = await boot({ settingsFile: await writeSettings('trust-ok.yaml', [...REAL_SECRETS, 'trustProxy: [10.0.0.5, 10.0.0.0/8, "2001:db8::5", "2001:db8::/32"]']), env: ENV, production: true, clock: () => NOW });
    expect(listed.ok ? listed.booted.settings.trustProxy : []).toEqual(['10.0.0.5', '10.0.0.0/8', '2001:db8::5', '2001:db8::/32']);
    const none = await boot({ settingsFile: await writeSettings('trust-none.yaml', REAL_SECRETS), env: ENV, production: true, clock: () => NOW });
    expect(none.ok ? none.booted.settings.trustProxy : ['not booted']).toEqual([]);
  });
});
