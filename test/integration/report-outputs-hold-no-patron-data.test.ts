import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

// README, Grant reports: "A report never contains a patron id, barcode, name, exact date of birth
// or full postal code", whichever way it leaves: the CLI (stdout or --out, csv, json, html) or the
// staff console (preview and every download).
const IDS = ['CANid-', '2999000011', 'Canaryfirst', 'Canarylast', '2016-04-0', '2011-09-1', '06877', '06878', 'canary.mail'];

function participation(): string {
  const lines = ['patronId,barcode,firstName,lastName,email,birthDate,postalCode,branch,program,date'];
  for (let i = 0; i < 24; i++) {
    const child = i < 12;
    lines.push(`CANid-${i},2999000011${String(i).padStart(4, '0')},Canaryfirst${i},Canarylast${i},canary.mail${i}@example.org,${child ? `2016-04-0${1 + (i % 9)}` : `2011-09-1${i % 10}`},${child ? '06877' : '06878'},main,reading,2026-07-${10 + (i % 19)}`);
  }
  return lines.join('\n');
}

let dir: string;
let gateway: Harness;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-report-ids-'));
  await writeFile(join(dir, 'participation.csv'), participation());
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'state-grant-demo': await readFile('vendors/state-grant-demo.yaml', 'utf8') } });
});
afterAll(async () => {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
});

function expectNoIdentifiers(text: string): void {
  expect(text.length).toBeGreaterThan(50);
  for (const id of IDS) expect(text, id).not.toContain(id);
}

describe('grant report outputs hold no patron identifier', () => {
  it.each(['csv', 'json', 'html'])('gateway report --format %s, standard output, standard error and --out', async (format) => {
    const out = join(dir, `report.${format}`);
    const printed = await runGateway(['report', '--grant', 'state-grant-demo', '--input', join(dir, 'participation.csv'), '--format', format, '--config', TEST_SETTINGS], TEST_ENV);
    expect(printed.code).toBe(0);
    expectNoIdentifiers(printed.stdout + printed.stderr);
    const written = await runGateway(['report', '--grant', 'state-grant-demo', '--input', join(dir, 'participation.csv'), '--format', format, '--out', out, '--config', TEST_SETTINGS], TEST_ENV);
    expect(written.code).toBe(0);
    expectNoIdentifiers(await readFile(out, 'utf8'));
  });

  it.each(['preview', 'csv', 'json', 'html'])('the staff console, %s', async (format) => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const page = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: staff } })).text();
    const form = new FormData();
    form.set('csrf', /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
    form.set('grant', 'state-grant-demo');
    form.set('format', format);
    form.set('file', new Blob([participation()], { type: 'text/csv' }), 'participation.csv');
    const response = await fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff }, body: form });
    expect(response.status).toBe(200);
    expectNoIdentifiers(await response.text());
  });
});
