import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

// A noisy grant: a second upload would draw new noise, so equal figures prove the download is the previewed table.
const NOISY_GRANT = `id: noisy-grant
name: Noisy Grant
kind: grant
purpose: Testing reports
contract: { reference: G-9, effective: 2026-01-01, expires: 2027-12-31 }
upstream: { url: "http://127.0.0.1:9", hosts: [127.0.0.1] }
identity: { delivery: none }
report: { dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }], measures: [participants, attendances], minCellSize: 5, period: quarter, noise: { mechanism: discrete-laplace, epsilon: 1, maxAttendancesPerPerson: 4, maxCellsPerPerson: 2 } }
`;

let gateway: Harness;
let staff: string;
let ledgerDir: string;

function participation(): string {
  const lines = ['patronId,branch,program,date'];
  for (const branch of ['east', 'main']) for (const program of ['chess', 'lego']) for (let i = 0; i < 40; i++) lines.push(`CANARY-${branch}-${program}-${i},${branch},${program},2026-07-1${i % 10}`);
  return lines.join('\n');
}

beforeAll(async () => {
  ledgerDir = await mkdtemp(join(tmpdir(), 'gw-console-ledger-'));
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'noisy-grant': NOISY_GRANT }, settings: { reports: { ledgerDir } } });
  staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
});
afterAll(async () => {
  await gateway.close();
  await rm(ledgerDir, { recursive: true, force: true });
});

async function preview(period = '2026-Q3'): Promise<string> {
  const page = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: staff } })).text();
  const form = new FormData();
  form.set('csrf', /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
  form.set('grant', 'noisy-grant');
  form.set('period', period);
  form.set('format', 'preview');
  form.set('file', new Blob([participation()], { type: 'text/csv' }), 'participation.csv');
  const response = await fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff }, body: form });
  expect(response.status).toBe(200);
  return response.text();
}

const linksOf = (page: string): Record<string, string> =>
  Object.fromEntries([...page.matchAll(/href="(\/staff\/reports\/download\/[A-Za-z0-9_-]{22}\.(csv|json|html))"/g)].map((m) => [m[2] ?? '', m[1] ?? '']));

/** The figures of the preview's table, row by row (the cells after the row kind and the two dimensions). */
const figuresOf = (page: string): string[] => [...page.matchAll(/<td class="n" data-measure="[a-z]+">([^<]*)<\/td>/g)].map((m) => m[1] ?? '');

describe('the console preview offers downloads of the same published table, without a second upload', () => {
  it('CSV, JSON and HTML downloads carry exactly the previewed figures (noise drawn once), and no patron value', async () => {
    const page = await preview();
    const links = linksOf(page);
    expect(Object.keys(links).sort()).toEqual(['csv', 'html', 'json']);
    const shown = figuresOf(page);
    expect(shown.length).toBe(18);

    const csv = await fetch(`${gateway.url}${links['csv']}`, { headers: { cookie: staff } });
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="noisy-grant-2026-Q3.csv"');
    const csvText = await csv.text();
    const csvFigures = csvText.trim().split('\n').slice(1, 10).flatMap((line) => line.split(',').slice(3));
    expect(csvFigures).toEqual(shown);

    const json = (await (await fetch(`${gateway.url}${links['json']}`, { headers: { cookie: staff } })).json()) as { rows: Array<{ counts: Record<string, number | null> }> };
    expect(json.rows.flatMap((r) => [r.counts['participants'], r.counts['attendances']].map((c) => (c === null ? 'x' : String(c))))).toEqual(shown);

    const html = await (await fetch(`${gateway.url}${links['html']}`, { headers: { cookie: staff } })).text();
    expect(figuresOf(html)).toEqual(shown);
    for (const text of [page, csvText, JSON.stringify(json), html]) expect(text).not.toContain('CANARY');
  });

  it('the first download records the table in the grant\'s ledger (figures only); the next report of an overlapping period is told of it', async () => {
    const page = await preview();
    await (await fetch(`${gateway.url}${linksOf(page)['csv']}`, { headers: { cookie: staff } })).text();
    await (await fetch(`${gateway.url}${linksOf(page)['json']}`, { headers: { cookie: staff } })).text();
    const ledger = JSON.parse(await readFile(join(ledgerDir, 'noisy-grant.json'), 'utf8')) as { releases: Array<{ period: string }> };
    // The earlier test's download and this one's; the second format of one table is not a second release.
    expect(ledger.releases.map((r) => r.period)).toEqual(['2026-Q3', '2026-Q3']);
    expect(JSON.stringify(ledger)).not.toContain('CANARY');
    expect(await preview('2026-Q3')).toMatch(/linked to this period \(release ledger\): 2/);
    expect(await preview('2026-Q4')).toMatch(/linked to this period \(release ledger\): 0/);
  });

  it.each([
    ['an id nobody was given', (links: Record<string, string>) => links['csv']?.replace(/download\/[A-Za-z0-9_-]{4}/, 'download/AAAA'), () => staff, 404],
    ['a format that is not offered', (links: Record<string, string>) => links['csv']?.replace(/\.csv$/, '.xml'), () => staff, 404],
    ['a patron who is not staff', (links: Record<string, string>) => links['csv'], async () => gateway.login('29000000000001', '1111', { acceptNotices: false }), 403],
  ])('refuses %s', async (_why, link, cookie, status) => {
    const response = await fetch(`${gateway.url}${link(linksOf(await preview('2026-Q4')))}`, { headers: { cookie: await cookie() } });
    expect(response.status).toBe(status);
    expect(await response.text()).not.toMatch(/CANARY|\d+,\d+/);
  });

  it('the links stop working after 15 minutes (the table is not kept)', async () => {
    const links = linksOf(await preview('2026-Q4'));
    const start = gateway.clock.now;
    gateway.clock.now = new Date(start.getTime() + 14 * 60_000);
    expect((await fetch(`${gateway.url}${links['json']}`, { headers: { cookie: staff } })).status).toBe(200);
    gateway.clock.now = new Date(start.getTime() + 15 * 60_000);
    expect((await fetch(`${gateway.url}${links['json']}`, { headers: { cookie: staff } })).status).toBe(404);
    gateway.clock.now = start;
  });
});
