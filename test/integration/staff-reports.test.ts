import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

let gateway: Harness;
let staff: string;

function participation(): string {
  const lines = ['patronId,firstName,birthDate,postalCode,date'];
  for (let i = 0; i < 15; i++) lines.push(`kid-${i},Kidname${i},2017-0${1 + (i % 9)}-15,06880,2026-07-${10 + i}`);
  for (let i = 0; i < 4; i++) lines.push(`teen-${i},Teenname${i},2012-05-0${1 + i},06880,2026-07-0${1 + i}`);
  return lines.join('\n');
}

beforeAll(async () => {
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'state-grant-demo': readFileSync('vendors/state-grant-demo.yaml', 'utf8') } });
  staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
});
afterAll(async () => gateway.close());

async function upload(fields: Record<string, string>, file: string | undefined, cookie = staff): Promise<Response> {
  const page = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie } })).text();
  const form = new FormData();
  form.set('csrf', /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file !== undefined) form.set('file', new Blob([file], { type: 'text/csv' }), 'participation.csv');
  return fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie }, body: form });
}

describe('grant reports in the staff console', () => {
  it('previews the minimized table and its summary', async () => {
    const response = await upload({ grant: 'state-grant-demo', format: 'preview' }, participation());
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/Demo State Summer Learning Grant: report preview/);
    // 4 teens cannot be published; with one ZIP prefix and one quarter every total that contains
    // them would give them away, so those totals are hidden too.
    expect(page).toMatch(/<td>cell<\/td><td>12-17<\/td><td>068<\/td><td>2026-Q3<\/td><td class="n" data-measure="participants">x<\/td>/);
    // Which complements hide it is the solver's choice (every pattern passes the same audit).
    expect(page).toMatch(/<p class="footnote">x: figure not published to protect small groups \(\d+ of \d+ figures\)<\/p>/);
    expect(page).toMatch(/Rows read: 19; used: 19/);
    expect(page).not.toMatch(/kid-|Kidname|06880|2017-0/);
  });

  it.each([
    ['csv', 'text/csv', /^row,age_group,zip3,quarter,participants,attendances\n/],
    ['json', 'application/json', /"grant": \{/],
    ['html', 'text/html', /participation report<\/h1>/],
  ])('downloads %s', async (format, type, body) => {
    const response = await upload({ grant: 'state-grant-demo', format, period: '2026-Q3' }, participation());
    expect(response.headers.get('content-type')).toContain(type);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="state-grant-demo-2026-Q3.${format}"`);
    expect(await response.text()).toMatch(body);
  });

  it.each([
    ['a file with a missing column', { grant: 'state-grant-demo', format: 'preview' }, 'patronId,birthDate\np1,2015-01-01\n', 400, /missing required column\(s\): postalCode, date/],
    ['no file', { grant: 'state-grant-demo', format: 'preview' }, undefined, 400, /Choose a participation file/],
    ['a vendor that is not a grant', { grant: 'ebooks-demo', format: 'preview' }, participation(), 404, /no such service/],
    ['a bad period', { grant: 'state-grant-demo', format: 'preview', period: 'someday' }, participation(), 400, /--period must be/],
  ])('refuses %s clearly', async (_name, fields, file, status, message) => {
    const response = await upload(fields, file);
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(message);
  });

  it('refuses an upload without a CSRF token, and a patron who is not staff', async () => {
    const form = new FormData();
    form.set('grant', 'state-grant-demo');
    form.set('file', new Blob([participation()]), 'p.csv');
    expect((await fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff }, body: form })).status).toBe(403);
    const patron = await gateway.login('29000000000001', '1111', { acceptNotices: false });
    expect((await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: patron } })).status).toBe(403);
  });
});
