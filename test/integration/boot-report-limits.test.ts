import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.ts';
import { ROOT } from '../helpers/cli.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';

// README, Settings: reports.maxConcurrent, reports.timeoutSeconds and reports.maxMemoryMb bound the
// console's report workers; they are validated at startup like every other setting.
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
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-report-limits-'));
  await mkdir(join(dir, 'vendors'));
  await writeFile(join(dir, 'vendors', 'test-vendor.yaml'), contractYaml());
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the limits of console report workers are settings checked at startup', () => {
  it.each([
    ['nothing said: one report at a time, 10 minutes, 1024 MB of heap', '', { maxConcurrent: 1, timeoutSeconds: 600, maxMemoryMb: 1024 }],
    ['every limit given is taken as given', 'reports: { maxConcurrent: 3, timeoutSeconds: 120, maxMemoryMb: 256 }', { maxConcurrent: 3, timeoutSeconds: 120, maxMemoryMb: 256 }],
    ['one limit given keeps the defaults of the others', 'reports: { maxConcurrent: 2 }', { maxConcurrent: 2, timeoutSeconds: 600, maxMemoryMb: 1024 }],
  ])('%s', async (_why, reports, expected) => {
    const { result } = await bootWith(reports);
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    expect(result.booted.settings.reports).toMatchObject(expected);
  });

  it.each([
    ['no report could ever run (0 at once)', 'reports: { maxConcurrent: 0 }', 'reports.maxConcurrent'],
    ['a fraction of a report', 'reports: { maxConcurrent: 1.5 }', 'reports.maxConcurrent'],
    ['a time limit of 0 seconds', 'reports: { timeoutSeconds: 0 }', 'reports.timeoutSeconds'],
    ['a heap too small for the worker to start (8 MB)', 'reports: { maxMemoryMb: 8 }', 'reports.maxMemoryMb'],
    ['a limit written as text', 'reports: { maxConcurrent: "two" }', 'reports.maxConcurrent'],
    ['a misspelt key (maxConcurrency)', 'reports: { maxConcurrency: 2 }', 'reports'],
  ])('refuses %s, naming the file and the dotted path', async (_why, reports, path) => {
    const { file, result } = await bootWith(reports);
    expect(result.ok).toBe(false);
    const problem = !result.ok ? result.problems.find((p) => p.path.startsWith('reports')) : undefined;
    expect(problem, JSON.stringify(!result.ok && result.problems)).toMatchObject({ file });
    expect(problem?.path.startsWith(path)).toBe(true);
    expect(problem?.message.length).toBeGreaterThan(0);
  });
});
