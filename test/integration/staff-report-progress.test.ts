import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { BIG_GRANT, bigParticipation, readChunks, uploadReport } from '../helpers/staff-report-upload.ts';

// README, Grant reports (the staff console): the preview page streams while the report runs, with
// no script (the gateway's pages allow none): a progress line per step (rows read, then
// protecting, then auditing), then the table. Progress holds counts only, never a value of a row.
let gateway: Harness;
let staff: string;

beforeAll(async () => {
  gateway = await startGateway({
    patrons: loadDemoPatrons(),
    contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'big-grant': BIG_GRANT, 'state-grant-demo': readFileSync('vendors/state-grant-demo.yaml', 'utf8') },
  });
  staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
});
afterAll(async () => gateway.close());

const phasesOf = (text: string): string[] => [...text.matchAll(/<li data-phase="([a-z]+)">/g)].map((m) => m[1] ?? '');

describe('a console report shows its progress while it runs', () => {
  it('streams progress lines (rows read, protecting, auditing) before the table, which arrives last', async () => {
    const file = bigParticipation(4);
    const response = await uploadReport(gateway, staff, { grant: 'big-grant', format: 'preview' }, file.text);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'none'");
    const chunks = await readChunks(response);
    const text = chunks.join('');
    // Every step in its order, each once, then done (reading lines may repeat, every 5,000 rows).
    expect(phasesOf(text).join(' ')).toMatch(/^(reading )*protecting auditing done$/);
    expect(text).toContain(`File read (${file.rows.toLocaleString('en-US')} rows). Protecting the table`);
    expect(text).toContain(`Done: ${file.rows.toLocaleString('en-US')} rows read`);
    // The page was sent in pieces as the report ran: the protecting line came in an earlier piece
    // than the table (protecting this table takes the solver seconds), and the page ends whole.
    const protecting = chunks.findIndex((c) => c.includes('data-phase="protecting"'));
    const table = chunks.findIndex((c) => c.includes('<table'));
    expect(protecting).toBeGreaterThanOrEqual(0);
    expect(table).toBeGreaterThan(protecting);
    expect(text).toMatch(/Big Grant: report preview/);
    expect(text).toMatch(/<\/html>\s*$/);
    expect(text.match(/<li data-phase/g)?.length).toBeGreaterThan(2);
    // The preview's download links work (the same table, no second upload).
    const link = /href="(\/staff\/reports\/download\/[A-Za-z0-9_-]{22}\.csv)"/.exec(text)?.[1];
    expect(link).toBeDefined();
    const csv = await fetch(`${gateway.url}${link}`, { headers: { cookie: staff } });
    expect(csv.status).toBe(200);
    expect(text + (await csv.text())).not.toContain('CANARY');
  }, 120_000);

  it('a small file still shows every step, then the table, in one streamed page', async () => {
    const lines = ['patronId,firstName,birthDate,postalCode,date'];
    for (let i = 0; i < 15; i++) lines.push(`kid-${i},Kidname${i},2017-0${1 + (i % 9)}-15,06880,2026-07-${10 + i}`);
    const response = await uploadReport(gateway, staff, { grant: 'state-grant-demo', format: 'preview' }, lines.join('\n'));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(phasesOf(text)).toEqual(['reading', 'protecting', 'auditing', 'done']);
    expect(text).toContain('File read (15 rows)');
    expect(text.indexOf('data-phase="done"')).toBeLessThan(text.indexOf('<table'));
    expect(text).not.toMatch(/kid-|Kidname|06880|2017-0/);
  });

  it.each([
    ['a missing column: refused before the page starts, with the form and 400', 'patronId,birthDate\np1,2015-01-01\n', 400, /missing required column\(s\): postalCode, date/, false],
    [
      'a file that stops being UTF-8 after its header: the started page says so in place and shows no table',
      // 2 MB of good rows first, so the header is accepted (and the page started) before the bad byte is read.
      Buffer.concat([Buffer.from(`patronId,birthDate,postalCode,date\n${'p1,2015-01-01,06880,2026-07-10\n'.repeat(70_000)}p2,2015-01-01,06880,2026-07-1`), Buffer.from([0xe9, 0x0a])]),
      200,
      /line 70002: the file is not UTF-8 text/,
      true,
    ],
  ])('%s', async (_why, file, status, message, streamed) => {
    const response = await uploadReport(gateway, staff, { grant: 'state-grant-demo', format: 'preview' }, file);
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).toMatch(message);
    expect(text.includes('data-phase="failed"')).toBe(streamed);
    expect(text).not.toContain('<table');
    expect(text).not.toMatch(/06880|2015-01-01/);
  });
});
