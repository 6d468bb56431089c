import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

let dir: string;
const base = ['report', '--grant', 'state-grant-demo', '--config', TEST_SETTINGS, '--format', 'json'];

/**
 * Children at ZIP 068 (age 6-11) in every month of Q3, and at ZIP 100 12 in July, 12 in August and
 * 3 in September (ids are canaries): once July and August are published, the quarter's ZIP 100
 * figure minus theirs would be September's 3.
 */
function participation(): string {
  const lines = ['patronId,birthDate,postalCode,date'];
  const add = (prefix: string, zip: string, month: string, count: number): void => {
    for (let i = 0; i < count; i++) lines.push(`CANARY-${prefix}-${month}-${i},2017-0${1 + (i % 9)}-15,${zip},2026-${month}-1${i % 10}`);
  };
  for (const month of ['07', '08', '09']) add('a', '06880', month, 14);
  add('b', '10001', '07', 12);
  add('b', '10001', '08', 12);
  add('b', '10001', '09', 3);
  return lines.join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-linked-'));
  await writeFile(join(dir, 'p.csv'), participation());
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

type Row = { values: Array<string | null>; counts: Record<string, number | null> };
const figure = (rows: Row[], zip: string | null): number | null | undefined => rows.find((r) => r.values[0] !== null && r.values[1] === zip && r.values[2] !== null)?.counts['attendances'];

describe('gateway report --ledger protects a report jointly with the shorter periods published inside it', () => {
  it('the quarter after July and August: its ZIP 100 figure is not published, so no difference gives September', async () => {
    const ledger = join(dir, 'ledger.json');
    for (const month of ['2026-07', '2026-08']) {
      const result = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', month, '--ledger', ledger], TEST_ENV);
      expect(result.code, result.stderr).toBe(0);
      expect(figure((JSON.parse(result.stdout) as { rows: Row[] }).rows, '100')).toBe(12);
    }
    const quarter = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-Q3', '--ledger', ledger], TEST_ENV);
    expect(quarter.code, quarter.stderr).toBe(0);
    const rows = (JSON.parse(quarter.stdout) as { rows: Row[] }).rows;
    expect(figure(rows, '100')).toBeNull();
    expect(figure(rows, '068')).toBe(42);
    expect(await readFile(ledger, 'utf8')).not.toMatch(/CANARY|06880|10001|2017-0/);
  });

  it('a month after its published quarter, from an input that covers the quarter, is published jointly with it', async () => {
    const ledger = join(dir, 'quarter-then-month.json');
    const first = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-Q3', '--ledger', ledger], TEST_ENV);
    expect(first.code, first.stderr).toBe(0);
    const month = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-07', '--ledger', ledger], TEST_ENV);
    expect(month.code, month.stderr).toBe(0);
    expect((JSON.parse(month.stdout) as { summary: { linkedTables: number; rowsUsed: number } }).summary).toMatchObject({ linkedTables: 1, rowsUsed: 26 });
  });

  it('a month after its published quarter, from an input without the rest of the quarter, is refused (exit 1): nothing written, the ledger left as it was', async () => {
    const ledger = join(dir, 'quarter-first.json');
    const first = await runGateway([...base, '--input', join(dir, 'p.csv'), '--period', '2026-Q3', '--ledger', ledger], TEST_ENV);
    expect(first.code, first.stderr).toBe(0);
    const before = await readFile(ledger, 'utf8');
    const julyOnly = join(dir, 'july.csv');
    await writeFile(julyOnly, participation().split('\n').filter((line, i) => i === 0 || line.includes(',2026-07-')).join('\n'));
    const out = join(dir, 'never.json');
    const month = await runGateway([...base, '--input', julyOnly, '--period', '2026-07', '--ledger', ledger, '--out', out], TEST_ENV);
    expect(month.code).toBe(1);
    expect(month.stderr).toMatch(/^report: the release ledger holds a table of 2026-Q3, which reaches beyond this period, and the input does not hold its data as published .* so the report was not published \(give an input that covers 2026-Q3 as it was published, or publish shorter periods before the longer period that contains them\)\n?$/);
    expect(month.stderr).not.toMatch(/CANARY|10001|\b12\b/);
    expect(month.stdout).toBe('');
    await expect(readFile(out)).rejects.toThrow();
    expect(await readFile(ledger, 'utf8')).toBe(before);
  });
});
