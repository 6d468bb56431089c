import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

// README: "logs and metrics carry vendor ids, field names and counts, never values". The proxy's
// own leak test covers proxied traffic; this one walks the gateway's other pages (sign-in, the
// notice, the sharing page and its withdrawals, the staff explain, diff and report tools) with a
// canary patron and checks every log line and the metrics text.
const CANARY = {
  patronId: 'CANpid4417',
  barcode: '29990000004417',
  firstName: 'Quillonna',
  lastName: 'Vantablackwood',
  email: 'quillonna.canary@canary-mail.example',
  phone: '555-404-4417',
  birthDate: '1979-03-14',
  address: { street: '44 Canary Lane', city: 'Canaryville', state: 'CT', postalCode: '06877' },
  consents: ['share-email-with-vendors'],
};
const PIN = '9417';
const VALUES = [CANARY.patronId, CANARY.barcode, CANARY.firstName, CANARY.lastName, CANARY.email, CANARY.phone, '5554044417', CANARY.birthDate, CANARY.address.street, CANARY.address.postalCode, 'Canaryville', PIN];
const GRANT = `id: canary-grant
name: Canary Grant
kind: grant
purpose: Testing
contract: { reference: C-1, effective: 2026-01-01, expires: 2027-12-31 }
report: { dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants], minCellSize: 5, totals: true }
`;

let upstream: RecordingUpstream;
let gateway: Harness;
beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: [...loadDemoPatrons(), { record: CANARY, pin: PIN }], contracts: { ...loadDemoContracts(upstream.url), 'canary-grant': GRANT } });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function csrfFor(cookie: string, path: string): Promise<string> {
  return /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${gateway.url}${path}`, { headers: { cookie } })).text())?.[1] ?? '';
}

async function post(cookie: string, path: string, fields: Record<string, string>): Promise<Response> {
  const csrf = await csrfFor(cookie, path === '/me/sharing/revoke' ? '/me/sharing' : path);
  return fetch(`${gateway.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, ...fields }).toString() });
}

describe('no patron value reaches the logs or /metrics from any page', () => {
  it('after sign-in (failed and good), notices, sharing, withdrawals and every staff tool', async () => {
    // A failed sign-in with the canary card, then a good one.
    const loginPage = await fetch(`${gateway.url}/login`);
    const loginCsrf = /name="csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1] ?? '';
    const loginCookie = loginPage.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    await fetch(`${gateway.url}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: loginCsrf, barcode: CANARY.barcode, pin: '0000', next: '/' }).toString() });
    let cookie = await gateway.login(CANARY.barcode, PIN, { acceptNotices: false });

    // The notice (shown, declined, accepted with a consent), the vendor, the sharing page, withdrawals.
    expect((await fetch(`${gateway.url}/notices/ebooks-demo`, { headers: { cookie } })).status).toBe(200);
    await post(cookie, '/notices/streaming-demo', { decision: 'decline', next: '/v/streaming-demo/' });
    cookie = await gateway.acceptNotice(cookie, 'ebooks-demo', ['share-email-with-vendors']);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/search?q=${CANARY.lastName}`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${gateway.url}/me/sharing`, { headers: { cookie } })).status).toBe(200);
    await post(cookie, '/me/sharing/revoke', { vendor: 'ebooks-demo', what: 'consent', consent: 'share-email-with-vendors' });
    const revoked = await post(cookie, '/me/sharing/revoke', { vendor: 'ebooks-demo', what: 'acknowledgement' });
    const notices = revoked.headers.getSetCookie().find((c) => c.startsWith('gw_notices='))?.split(';')[0] ?? '';
    cookie = [...cookie.split('; ').filter((c) => !c.startsWith('gw_notices=')), notices].join('; ');
    expect((await fetch(`${gateway.url}/v/ebooks-demo/search?q=${CANARY.email}`, { headers: { cookie } })).status).toBe(428);

    // Staff tools: explain the canary patron, a diff holding canary text, a report upload of canary rows.
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    expect((await post(staff, '/staff/explain', { vendor: 'ebooks-demo', barcode: CANARY.barcode })).status).toBe(200);
    expect((await post(staff, '/staff/explain', { vendor: 'ebooks-demo', barcode: `${CANARY.barcode}9`, at: CANARY.birthDate })).status).toBe(400);
    const ebooks = await readFile('vendors/ebooks-demo.yaml', 'utf8');
    expect((await post(staff, '/staff/diff', { vendor: 'ebooks-demo', proposed: `${ebooks}\n# ${CANARY.email} ${CANARY.phone}\n` })).status).toBe(200);
    expect((await post(staff, '/staff/diff', { vendor: 'ebooks-demo', proposed: `${ebooks}\nnote: ${CANARY.email}\n${CANARY.lastName}: [` })).status).toBe(400);
    const reportPage = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: staff } })).text();
    const rows = ['patronId,barcode,firstName,birthDate,postalCode,branch,date', ...[0, 1, 2, 3, 4, 5].map((i) => `${CANARY.patronId}${i},${CANARY.barcode},${CANARY.firstName},${CANARY.birthDate},${CANARY.address.postalCode},main,2026-07-0${i + 1}`), `${CANARY.patronId},x,${CANARY.lastName},not-a-date,${CANARY.phone},main,2026-07-01`];
    for (const format of ['preview', 'csv']) {
      const form = new FormData();
      form.set('csrf', /name="csrf" value="([^"]+)"/.exec(reportPage)?.[1] ?? '');
      form.set('grant', 'canary-grant');
      form.set('format', format);
      form.set('file', new Blob([rows.join('\n')], { type: 'text/csv' }), 'participation.csv');
      // Read to the end: a preview streams its progress, and its report slot is free only when it is done.
      const response = await fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff }, body: form });
      expect(response.status).toBe(200);
      await response.text();
    }

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const logs = gateway.logs.join('');
    expect(logs).toMatch(/login_failed/);
    expect(logs).toMatch(/vendor request/);
    for (const value of VALUES) {
      expect(logs, `${value} in the logs`).not.toContain(value);
      expect(metrics, `${value} in /metrics`).not.toContain(value);
    }
  });
});
