import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
};

async function bootWith(reports: string) {
  const file = join(dir, `settings-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    file,
    [
      `vendorsDir: ${join(dir, 'vendors')}`,
      `patrons: { file: ${join(ROOT, 'config/demo-patrons.yaml')} }`,
      'publicUrl: https://gateway.library.test',
      // Required in production.
      'branding: { libraryName: Test Library, website: "https://library.test/", contact: { phone: 555-0100 }, forgotPin: "https://library.test/pin" }',
      'secrets:',
      '  pseudonymSecret: { env: T_PSEUDONYM }',
      '  sessionKey: { env: T_SESSION }',
      '  assertionKeys:',
      '    - { kid: k1, privateKey: { env: T_KEY } }',
      reports,
    ].join('\n'),
  );
  return { file, result: await boot({ settingsFile: file, env: ENV, production: true, clock: () => NOW }) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-ledger-'));
  await mkdir(join(dir, 'vendors'));
  await mkdir(join(dir, 'ledgers'));
  await mkdir(join(dir, 'locked'));
  await writeFile(join(dir, 'a-file'), 'not a folder');
  await writeFile(join(dir, 'vendors', 'test-vendor.yaml'), contractYaml());
});
afterAll(async () => {
  await chmod(join(dir, 'locked'), 0o700);
  await rm(dir, { recursive: true, force: true });
});

describe('reports.ledgerDir is checked at startup', () => {
  it('a writable folder, relative to the settings file, is taken (absolute)', async () => {
    const { result } = await bootWith('reports: { ledgerDir: ledgers }');
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    expect(result.booted.settings.reports.ledgerDir).toBe(join(dir, 'ledgers'));
  });

  it('without it there is no ledger (the console keeps none)', async () => {
    const { result } = await bootWith('');
    expect(result.ok).toBe(true);
    expect(result.ok && 'ledgerDir' in result.booted.settings.reports).toBe(false);
  });

  it.each([
    ['a folder that does not exist', 'reports: { ledgerDir: nowhere }', /the folder does not exist/, /create the folder/],
    ['a file, not a folder', 'reports: { ledgerDir: a-file }', /is not a folder/, /name a folder/],
    ['an empty path', 'reports: { ledgerDir: "" }', /./, /./],
    ['an unknown key beside it (a typo)', 'reports: { ledgerDirectory: ledgers }', /./, /./],
  ])('refuses %s with the file, the dotted path, what is wrong and how to fix it', async (_why, reports, message, fix) => {
    const { file, result } = await bootWith(reports);
    expect(result.ok).toBe(false);
    const problem = !result.ok ? result.problems.find((p) => p.path.startsWith('reports')) : undefined;
    expect(problem, JSON.stringify(!result.ok && result.problems)).toMatchObject({ file });
    expect(problem?.message).toMatch(message);
    expect(problem?.fix).toMatch(fix);
  });

  it('refuses a folder the gateway cannot write', async () => {
    // Permission bits do not bind root (CI runs as root in a container), where /proc/sys is a
    // folder mounted read-only: a real folder nobody may write either way.
    await chmod(join(dir, 'locked'), 0o500);
    const { result } = await bootWith(`reports: { ledgerDir: ${process.getuid?.() === 0 ? '/proc/sys' : 'locked'} }`);
    expect(!result.ok && result.problems.find((p) => p.path === 'reports.ledgerDir')?.message).toBe('the gateway cannot read and write this folder');
  });
});
