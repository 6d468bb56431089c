import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';
import { loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

// Branch and programme names come from the participation file, typed by whoever kept it: every
// grant-report CSV the gateway writes (the CLI's, the staff console's download) must open in a
// spreadsheet without running any of them.
const GRANT = `id: formula-grant
name: Formula Grant
kind: grant
purpose: Testing CSV output
contract: { reference: F-1, effective: 2026-01-01, expires: 2027-12-31 }
report:
  dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }]
  measures: [participants]
  minCellSize: 5
  totals: false
`;

// [as typed, as published]: the reader trims names, so a tab before a formula reaches the writer as the formula itself.
const DANGEROUS: ReadonlyArray<readonly [string, string]> = [
  ['=HYPERLINK("http://x.example","click")', '\'=HYPERLINK("http://x.example","click")'],
  ['+1+1', "'+1+1"],
  ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
  ['-5', "'-5"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\t=1+1', "'=1+1"],
  ['\uff1d1+1', "'\uff1d1+1"],
  ['\uff0b1', "'\uff0b1"],
  ['\uff0d1', "'\uff0d1"],
  ['\uff20SUM(A1)', "'\uff20SUM(A1)"],
];
// Kept whole: a comma, quotes, and a carriage return (which spreadsheets read as a line break) before a formula.
const SAFE = ['main', 'east, annex', 'Main "Central" Library', 'annex\r@SUM(A1)'];

/** Five participants for every branch name, each in the programme named like the branch (so both columns are tested). */
function participation(): string {
  const rows: string[][] = [['patronId', 'branch', 'program', 'date']];
  [...DANGEROUS.map(([typed]) => typed), ...SAFE].forEach((name, b) => {
    for (let p = 0; p < 5; p++) rows.push([`p${b}-${p}`, name, name, `2026-07-0${p + 1}`]);
  });
  return stringify(rows);
}

/** The table read back from CSV text: the header, and every non-empty cell as branch -> [program, count]. */
function readTable(csv: string): { header: string[]; rows: Map<string, [string, string]> } {
  const [header, ...records] = parse(csv, { relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
  const rows = new Map<string, [string, string]>();
  // Table records have every column; the one-field footnote after the table is not a row.
  for (const record of records) {
    if (record.length !== header?.length) continue;
    const [kind = '', branch = '', program = '', count = ''] = record;
    if (kind === 'cell' && count !== '0') rows.set(branch, [program, count]);
  }
  return { header: header ?? [], rows };
}

function expectInert(csv: string): void {
  const { header, rows } = readTable(csv);
  expect(header).toEqual(['row', 'branch', 'program', 'participants']);
  expect(rows.size, JSON.stringify([...rows.keys()])).toBe(DANGEROUS.length + SAFE.length);
  for (const [typed, published] of DANGEROUS) expect(rows.get(published), JSON.stringify(typed)).toEqual([published, '5']);
  for (const name of SAFE) expect(rows.get(name), name).toEqual([name, '5']);
}

let dir: string;
let gateway: Harness;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-csv-'));
  await writeFile(join(dir, 'formula-grant.yaml'), GRANT);
  await writeFile(join(dir, 'participation.csv'), participation());
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { 'formula-grant': GRANT } });
});
afterAll(async () => {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
});

describe('every grant-report CSV neutralizes formula cells', () => {
  it('gateway report --format csv, on standard output', async () => {
    const result = await runGateway(['report', '--grant', 'formula-grant', '--input', join(dir, 'participation.csv'), '--vendors', dir, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.stderr).toMatch(/Rows read: 70; used: 70/);
    expect(result.code).toBe(0);
    expectInert(`${result.stdout}\n`);
  });

  it('gateway report --format csv --out FILE', async () => {
    const out = join(dir, 'report.csv');
    const result = await runGateway(['report', '--grant', 'formula-grant', '--input', join(dir, 'participation.csv'), '--vendors', dir, '--config', TEST_SETTINGS, '--out', out], TEST_ENV);
    expect(result.code).toBe(0);
    expectInert(await readFile(out, 'utf8'));
  });

  it('the staff console download', async () => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const page = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: staff } })).text();
    const form = new FormData();
    form.set('csrf', /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
    form.set('grant', 'formula-grant');
    form.set('format', 'csv');
    form.set('file', new Blob([participation()], { type: 'text/csv' }), 'participation.csv');
    const response = await fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff }, body: form });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expectInert(await response.text());
  });
});
