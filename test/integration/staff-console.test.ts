import { readFile } from 'node:fs/promises';
import { escapeHtml } from '../../src/lib/html.ts';
import { en } from '../../src/web/messages/en.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const STAFF_TOKEN = 'staff-token-for-tests-0123456789';
const CANARY = { patronId: 'CANstaff77', barcode: 'CANBAR9911', firstName: 'Wilhelmina', lastName: 'Xanthopoulos', email: 'wx.canary@canary-mail.example', phone: '555-303-9090', birthDate: '1970-07-07', address: { postalCode: '06880', street: '9 Canary Row' }, consents: ['share-email-with-vendors'] };
let upstream: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: [...loadDemoPatrons(), { record: CANARY, pin: '4321' }], contracts: loadDemoContracts(upstream.url), tokens: { staffToken: STAFF_TOKEN } });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function form(cookie: string, path: string, fields: Record<string, string>) {
  const token = /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${gateway.url}${path}`, { headers: { cookie } })).text())?.[1] ?? '';
  return fetch(`${gateway.url}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: token, ...fields }).toString() });
}

describe('the staff console', () => {
  it.each([
    ['an adult patron', '29000000000001', '1111'],
    ['a child', '29000000000010', '1234'],
  ])('refuses %s with 403', async (_name, barcode, pin) => {
    const cookie = await gateway.login(barcode, pin, { acceptNotices: false });
    for (const path of ['/staff', '/staff/vendors/ebooks-demo', '/staff/explain', '/staff/diff']) {
      expect((await fetch(`${gateway.url}${path}`, { headers: { cookie, accept: 'text/html' } })).status).toBe(403);
    }
    expect((await fetch(`${gateway.url}/staff/explain`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'vendor=ebooks-demo&barcode=29000000000002' })).status).toBe(403);
  });

  it('sends a signed-out browser to sign in, and refuses a wrong token', async () => {
    const response = await fetch(`${gateway.url}/staff`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.headers.get('location')).toBe('/login?next=%2Fstaff');
    expect((await fetch(`${gateway.url}/staff`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('shows staff one row per vendor with its status, live counts since start and score, and a vendor page, with no patron value anywhere', async () => {
    const canary = await gateway.login(CANARY.barcode, '4321');
    await fetch(`${gateway.url}/v/ebooks-demo/search?q=${CANARY.barcode}`, { headers: { cookie: canary } });
    await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie: canary } });
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const page = await (await fetch(`${gateway.url}/staff`, { headers: { cookie: staff } })).text();
    expect(page).toMatch(/<tr data-vendor="ebooks-demo">[\s\S]*?data-figure="requests" data-value="2">2</);
    expect(page).toMatch(/<tr data-vendor="ebooks-demo">[\s\S]*?data-figure="caught" data-value="1">1</);
    expect(page).toMatch(/<tr data-vendor="ebooks-demo">[\s\S]*?data-score="0.88"/);
    expect(page).toMatch(/data-basis="since-start" data-reason="not-configured"/);
    expect(page).toMatch(/<tr data-vendor="research-db-demo">[\s\S]*?data-figure="blockedTrackers" data-value="">—</);
    const vendor = await (await fetch(`${gateway.url}/staff/vendors/ebooks-demo`, { headers: { cookie: staff } })).text();
    expect(vendor).toMatch(/<span data-count="proxied">2<\/span>/);
    expect(vendor).toMatch(/<tr data-field="email">[\s\S]*?<code>email: pass, consent: share-email-with-vendors<\/code>/);
    for (const text of [page, vendor]) for (const value of [CANARY.patronId, CANARY.barcode, CANARY.firstName, CANARY.lastName, CANARY.email, '303-9090', 'Canary Row']) expect(text).not.toContain(value);
    const byToken = await fetch(`${gateway.url}/staff`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
    expect(byToken.status).toBe(200);
    expect((await fetch(`${gateway.url}/staff/vendors/no-such-vendor`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).status).toBe(404);
  });

  it('puts contracts close to expiry and reviews that are due on top, and badges their rows', async () => {
    gateway.clock.now = new Date('2027-02-10T12:00:00Z');
    try {
      const page = await (await fetch(`${gateway.url}/staff`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).text();
      expect(page).toMatch(/<li data-alert="closing">1 contract expires in 19 days: Demo Streaming\.<\/li>/);
      expect(page).toMatch(/<tr data-vendor="streaming-demo">[\s\S]*?data-status="closing">Closes in 19 days</);
    } finally {
      gateway.clock.now = new Date('2026-11-29T12:00:00Z');
    }
    gateway.clock.now = new Date('2027-07-01T12:00:00Z');
    try {
      const page = await (await fetch(`${gateway.url}/staff`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).text();
      expect(page).toMatch(/<li data-alert="closed">1 contract closed \(expired up to 122 days ago\): Demo Streaming\./);
      expect(page).toMatch(/<tr data-vendor="streaming-demo">[\s\S]*?data-status="closed">Closed 122 days ago</);
      expect(page).toMatch(/<tr data-vendor="ebooks-demo">[\s\S]*?data-review="overdue">Review overdue</);
    } finally {
      gateway.clock.now = new Date('2026-11-29T12:00:00Z');
    }
  });

  it('explain in the console says what gateway explain says', async () => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const response = await form(staff, '/staff/explain', { vendor: 'ebooks-demo', barcode: '29000000000002', at: '2026-11-29' });
    const page = await response.text();
    const cli = await runGateway(['explain', 'ebooks-demo', '--config', TEST_SETTINGS, '--patron', 'config/demo-patrons.yaml', '--barcode', '29000000000002', '--at', '2026-11-29', '--json'], TEST_ENV);
    const expected = JSON.parse(cli.stdout) as { fields: Array<{ field: string; explanation: string }> };
    for (const field of expected.fields) {
      const escaped = field.explanation.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      expect(page).toContain(`<tr data-field="${field.field}"><td data-label="Field">${escapeHtml(en.fields[field.field] ?? '')} <small class="secondary">${field.field}</small></td><td data-label="What the vendor receives, and why">${escaped}</td></tr>`);
    }
  });

  it.each([
    ['an unknown card number', { vendor: 'ebooks-demo', barcode: 'CANARY-TYPED-0001' }, /No patron has that card number/],
    ['a bad date', { vendor: 'ebooks-demo', barcode: '29000000000002', at: 'yesterday' }, /YYYY-MM-DD/],
    ['no vendor', { vendor: 'nope', barcode: '29000000000002' }, /Choose a vendor/],
  ])('explain refuses %s with a clear message that does not echo what was typed', async (_name, fields, message) => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const response = await form(staff, '/staff/explain', fields);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toMatch(message);
    expect(page).not.toContain('CANARY-TYPED');
  });

  it('the diff view says what a proposed contract changes for patrons', async () => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const proposed = (await readFile('vendors/ebooks-demo.yaml', 'utf8')).replace('to: ageBand', 'to: birthYear');
    const page = await (await form(staff, '/staff/diff', { vendor: 'ebooks-demo', proposed })).text();
    expect(page).toMatch(/Sharing becomes <span data-overall="wider">wider<\/span>/);
    expect(page).toMatch(/<tr data-path="fields.birthDate">/);
    expect(page).toMatch(/asked to accept the notice again/);
    const invalid = await form(staff, '/staff/diff', { vendor: 'ebooks-demo', proposed: 'id: ebooks-demo\ncolour: red\n' });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toMatch(/proposed: colour: unknown key/);
  });

  it('links the home page to the console for staff patrons only', async () => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    expect(await (await fetch(`${gateway.url}/`, { headers: { cookie: staff } })).text()).toContain('<p class="staff-link"><a href="/staff">Open the staff console</a></p>');
    const spanish = await (await fetch(`${gateway.url}/`, { headers: { cookie: `${staff}; gw_lang=es` } })).text();
    expect(spanish).toContain('<a href="/staff">Abrir la consola del personal</a>');
    const patron = await gateway.login('29000000000001', '1111', { acceptNotices: false });
    expect(await (await fetch(`${gateway.url}/`, { headers: { cookie: patron } })).text()).not.toContain('href="/staff"');
    expect(await (await fetch(`${gateway.url}/`)).text()).not.toContain('href="/staff"');
  });

  it('refuses console forms without a CSRF token', async () => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const response = await fetch(`${gateway.url}/staff/diff`, { method: 'POST', headers: { cookie: staff, 'content-type': 'application/x-www-form-urlencoded' }, body: 'vendor=ebooks-demo&proposed=x' });
    expect(response.status).toBe(403);
  });
});
