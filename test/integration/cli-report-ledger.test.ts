import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

let dir: string;
const base = ['report', '--grant', 'state-grant-demo', '--config', TEST_SETTINGS];

/** 12 children at one ZIP in each month of Q3 (ids are canaries: no ledger may hold them). */
function participation(): string {
  const lines = ['patronId,birthDate,postalCode,date'];
  for (const month of ['07', '08', '09']) for (let i = 0; i < 12; i++) lines.push(`CANARY-${month}-${i},2017-0${1 + (i % 9)}-15,06880,2026-${month}-1${i % 10}`);
  return lines.join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-ledger-'));
  await writeFile(join(dir, 'p.csv'), participation());
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('gateway report --ledger', () => {
  it('records every published table (figures only) and hands the overlapping ones to the next report', async () => {
    const ledger = join(dir, 'ledger.json');
    for (const month of ['2026-07', '2026-08']) {
      const result = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', month, '--ledger', ledger], TEST_ENV);
      expect(result.code, result.stderr).toBe(0);
    }
    const quarter = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-Q3', '--ledger', ledger], TEST_ENV);
    expect(quarter.code).toBe(0);
    expect(quarter.stderr).toMatch(/Published tables of this grant linked to this period \(release ledger\): 2/);
    const october = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-10', '--ledger', ledger], TEST_ENV);
    expect(october.stderr).toMatch(/linked to this period \(release ledger\): 0/);
    const text = await readFile(ledger, 'utf8');
    const parsed = JSON.parse(text) as { grant: string; releases: Array<{ period: string }> };
    expect(parsed.grant).toBe('state-grant-demo');
    expect(parsed.releases.map((r) => r.period)).toEqual(['2026-07', '2026-08', '2026-Q3', '2026-10']);
    expect(text).not.toMatch(/CANARY|06880|2017-0/);
  });

  it('--ledger without --period is a usage error (exit 2), and nothing is written', async () => {
    const ledger = join(dir, 'no-period.json');
    const result = await runGateway([...base, '--input', join(dir, 'p.csv'), '--ledger', ledger], TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--ledger needs --period/);
    await expect(readFile(ledger)).rejects.toThrow();
  });

  it.each([
    ['a broken ledger', '{ "format": ', /the release ledger is not JSON/],
    ['another grant\'s ledger', JSON.stringify({ format: 'grant-release-ledger/1', grant: 'other-grant', releases: [] }), /belongs to grant "other-grant", not "state-grant-demo"/],
  ])('%s stops the report (exit 1): nothing is published and the ledger is left as it was', async (_why, content, message) => {
    const ledger = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(ledger, content);
    const out = join(dir, 'never.csv');
    const result = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-07', '--ledger', ledger, '--out', out], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    await expect(readFile(out)).rejects.toThrow();
    expect(await readFile(ledger, 'utf8')).toBe(content);
  });

  it('a ledger that cannot be written stops publication (exit 1, no output)', async () => {
    const ledger = join(dir, 'missing-folder', 'ledger.json');
    const result = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-07', '--ledger', ledger], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the release ledger could not be written \(ENOENT\); nothing was published/);
    expect(result.stdout).toBe('');
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });
});
