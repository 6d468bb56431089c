import { mkdtemp, readFile, writeFile, copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contractYaml, copyShippedVendors } from '../helpers/contracts.ts';
import { ROOT, runGateway, spawnGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

const dirs: string[] = [];
async function vendorsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-vendors-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('gateway check', () => {
  it('passes on the shipped vendors/ with the demo settings (the real executable, on the wall clock: dates moved around today)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-shipped-'));
    dirs.push(dir);
    const result = await spawnGateway(['check', '--vendors', await copyShippedVendors(ROOT, dir, new Date())]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/check passed: settings and 8 contract\(s\) are valid/);
  });

  it('fails with exit 1 and names the file and dotted path (the real executable)', async () => {
    const dir = await vendorsDir({ 'test-vendor.yaml': contractYaml({ fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: decade } }' }) });
    const result = await spawnGateway(['check', '--vendors', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${join(dir, 'test-vendor.yaml')}: fields.birthDate.to: "decade" is not a generalization. Fix: use`);
    expect(result.stderr).toMatch(/the gateway would not start/);
  });

  it('reports every broken file at once, not just the first', async () => {
    const dir = await vendorsDir({
      'a-vendor.yaml': contractYaml({}, 'a-vendor').replace('pseudonymize', 'encrypt'),
      'b-vendor.yaml': contractYaml({ colour: 'colour: red' }, 'b-vendor'),
      'c-vendor.yaml': contractYaml({}, 'c-vendor'),
    });
    const result = await runGateway(['check', '--vendors', dir, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('a-vendor.yaml: fields.patronId.action');
    expect(result.stderr).toContain('b-vendor.yaml: colour: unknown key "colour"');
    expect(result.stderr).not.toContain('c-vendor.yaml');
  });

  it('refuses two files with one id', async () => {
    const dir = await vendorsDir({ 'dup.yaml': contractYaml({}, 'dup'), 'dup.yml': contractYaml({}, 'dup') });
    const result = await runGateway(['check', '--vendors', dir, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/dup.yml: id: id "dup" is already used by .*dup.yaml/);
  });

  it('refuses jwt delivery when the settings configure no signing key', async () => {
    const settings = join(await vendorsDir({}), 'settings.yaml');
    await writeFile(settings, (await readFile(TEST_SETTINGS, 'utf8')).replace(/assertionKeys:[\s\S]*$/, 'assertionKeys: []\n').replace(/\.\.\/\.\.\/\.\.\//g, `${ROOT}/`));
    const result = await runGateway(['check', '--config', settings], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ebooks-demo.yaml: identity.delivery: jwt delivery needs an assertion signing key/);
  });

  it('reports a missing secret outside demo mode', async () => {
    const result = await runGateway(['check', '--config', TEST_SETTINGS], { ...TEST_ENV, TEST_SESSION_KEY: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/secrets.sessionKey: environment variable TEST_SESSION_KEY is not set/);
  });

  it('warns about an expired contract and one expiring within 30 days, exits 0, and fails under --strict', async () => {
    const dir = await vendorsDir({
      'old-vendor.yaml': contractYaml({ contract: 'contract: { reference: O-1, effective: 2024-01-01, expires: 2026-10-31 }' }, 'old-vendor'),
      'soon-vendor.yaml': contractYaml({ contract: 'contract: { reference: S-1, effective: 2024-01-01, expires: 2026-12-15 }' }, 'soon-vendor'),
    });
    const result = await runGateway(['check', '--vendors', dir, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/old-vendor.yaml: contract.expires: the contract EXPIRED 28 day\(s\) ago; old-vendor is closed/);
    expect(result.stderr).toMatch(/soon-vendor.yaml: contract.expires: the contract expires in 17 day\(s\)/);
    expect((await runGateway(['check', '--vendors', dir, '--config', TEST_SETTINGS, '--strict'], TEST_ENV)).code).toBe(1);
  });

  it('fails on an empty or missing vendors folder', async () => {
    expect((await runGateway(['check', '--vendors', await vendorsDir({}), '--config', TEST_SETTINGS], TEST_ENV)).stderr).toMatch(/has no contracts/);
    expect((await runGateway(['check', '--vendors', '/nonexistent/vendors', '--config', TEST_SETTINGS], TEST_ENV)).stderr).toMatch(/cannot be read/);
  });

  it('honours GATEWAY_VENDORS_DIR', async () => {
    const dir = await vendorsDir({ 'x-vendor.yaml': contractYaml({ colour: 'colour: red' }, 'x-vendor') });
    const result = await runGateway(['check', '--config', TEST_SETTINGS], { ...TEST_ENV, GATEWAY_VENDORS_DIR: dir });
    expect(result.stderr).toContain('x-vendor.yaml: colour');
  });

  it('refuses demo settings when NODE_ENV=production', async () => {
    const result = await runGateway(['check'], { NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/config\/gateway.yaml: demo: demo mode .* is refused when NODE_ENV=production/);
  });

  it('reports a broken settings file with its path', async () => {
    const settings = join(await vendorsDir({}), 'settings.yaml');
    await writeFile(settings, 'publicUrl: not a url\nvendorsDir: x\npatrons: { file: y }\nlimits: { bodyBytes: 1 }\n');
    const result = await runGateway(['check', '--config', settings], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${settings}: publicUrl:`);
    expect(result.stderr).toContain(`${settings}: limits.bodyBytes: is too small`);
  });

  it('a copied shipped contract in another folder still checks out', async () => {
    const dir = await vendorsDir({});
    await copyFile(join(ROOT, 'vendors/ebooks-demo.yaml'), join(dir, 'ebooks-demo.yaml'));
    expect((await runGateway(['check', '--vendors', dir, '--config', TEST_SETTINGS], TEST_ENV)).code).toBe(0);
  });
});
