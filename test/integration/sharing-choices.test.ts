import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PINS, loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * Optional sharing from the server's side: a child's form takes no consent, only an adult may turn
 * sharing back on, each action is confirmed after its redirect, and a confirmation is built from
 * ids the gateway knows, never from text in the request.
 */

let upstream: RecordingUpstream;
let gateway: Harness;
const ADA = '29000000000001';
const CLEO = '29000000000003';
const IVO = '29000000000009';
const EMAIL = 'share-email-with-vendors';

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: loadDemoContracts(upstream.url) });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const signIn = (barcode: string) => gateway.login(barcode, DEMO_PINS[barcode] ?? '', { acceptNotices: false });

function withNotices(cookie: string, response: Response): string {
  const notices = response.headers.getSetCookie().find((c) => c.startsWith('gw_notices='))?.split(';')[0];
  return notices ? [...cookie.split('; ').filter((c) => !c.startsWith('gw_notices=')), notices].join('; ') : cookie;
}

async function csrfOf(cookie: string): Promise<string> {
  return /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${gateway.url}/me/sharing`, { headers: { cookie } })).text())?.[1] ?? '';
}

async function post(path: string, cookie: string, fields: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
  return fetch(`${gateway.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
}

/** What the vendor received as the patron's email on one request through the gateway. */
async function emailSent(cookie: string): Promise<string | undefined> {
  const before = upstream.requests.length;
  await fetch(`${gateway.url}/v/ebooks-demo/check`, { headers: { cookie } });
  const request = upstream.requests[before];
  const token = String(request?.headers['authorization'] ?? '').replace(/^Bearer /, '');
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as { email?: string };
  return claims.email;
}

describe('optional sharing, on the server', () => {
  it.each([
    ['a 12-year-old (with a parent’s consent to use the service)', CLEO],
  ])('%s: a forged consent on the notice form is not taken, and sharing cannot be turned on later', async (_who, barcode) => {
    let cookie = await signIn(barcode);
    const token = await csrfOf(cookie);
    const accepted = await post('/notices/ebooks-demo', cookie, { csrf: token, decision: 'accept', next: '/v/ebooks-demo/', consent: EMAIL });
    expect(accepted.status).toBe(303);
    cookie = withNotices(cookie, accepted);
    expect(await emailSent(cookie)).toBeUndefined();
    const share = await post('/me/sharing/share', cookie, { csrf: token, vendor: 'ebooks-demo', consent: EMAIL });
    expect(share.status).toBe(403);
    expect(share.headers.getSetCookie().some((c) => c.startsWith('gw_notices='))).toBe(false);
    expect(await emailSent(cookie)).toBeUndefined();
  });

  it('a patron with no date of birth cannot turn sharing on either (the minors rules treat them as under 13)', async () => {
    const cookie = await signIn(IVO);
    const share = await post('/me/sharing/share', cookie, { csrf: await csrfOf(cookie), vendor: 'ebooks-demo', consent: EMAIL });
    expect(share.status).toBe(403);
  });

  it('an adult withdraws, then turns the email back on; each step is confirmed, and the vendor sees exactly that', async () => {
    let cookie = await gateway.acceptNotice(await signIn(ADA), 'ebooks-demo', [EMAIL]);
    expect(await emailSent(cookie)).toBe('ada.demo@example.org');
    const token = await csrfOf(cookie);
    const withdrawn = await post('/me/sharing/revoke', cookie, { csrf: token, vendor: 'ebooks-demo', what: 'consent', consent: EMAIL });
    expect(withdrawn.headers.get('location')).toBe(`/me/sharing?done=consent-withdrawn&vendor=ebooks-demo&consent=${EMAIL}`);
    cookie = withNotices(cookie, withdrawn);
    expect(await emailSent(cookie)).toBeUndefined();
    const page = await (await fetch(`${gateway.url}${withdrawn.headers.get('location')}`, { headers: { cookie } })).text();
    expect(page).toContain('<p class="done" role="status" data-done="consent-withdrawn">Done: Demo E-books no longer receives your email address.</p>');
    expect(page).toContain('Start sharing your email address');
    const shared = await post('/me/sharing/share', cookie, { csrf: token, vendor: 'ebooks-demo', consent: EMAIL });
    expect(shared.headers.get('location')).toBe(`/me/sharing?done=consent-given&vendor=ebooks-demo&consent=${EMAIL}`);
    cookie = withNotices(cookie, shared);
    expect(await emailSent(cookie)).toBe('ada.demo@example.org');
  });

  it('turning sharing on without an accepted notice leads to the notice, which offers the choice', async () => {
    const cookie = await signIn(ADA);
    const share = await post('/me/sharing/share', cookie, { csrf: await csrfOf(cookie), vendor: 'ebooks-demo', consent: EMAIL });
    expect(share.status).toBe(303);
    expect(share.headers.get('location')).toBe('/notices/ebooks-demo?next=%2Fme%2Fsharing&back=%2Fme%2Fsharing');
    expect(share.headers.getSetCookie().some((c) => c.startsWith('gw_notices='))).toBe(false);
  });

  it.each([
    ['a consent the contract does not name', { vendor: 'ebooks-demo', consent: 'share-everything' }, 400],
    ['no consent', { vendor: 'ebooks-demo' }, 400],
    ['a vendor that does not exist', { vendor: 'no-such-vendor', consent: EMAIL }, 404],
    ['two vendors', { vendor: ['ebooks-demo', 'streaming-demo'], consent: EMAIL }, 404],
  ])('bad input to /me/sharing/share: %s is refused and changes nothing', async (_name, fields, status) => {
    const cookie = await gateway.acceptNotice(await signIn(ADA), 'ebooks-demo', []);
    const response = await post('/me/sharing/share', cookie, { csrf: await csrfOf(cookie), ...fields });
    expect(response.status).toBe(status);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('gw_notices='))).toBe(false);
    expect(await emailSent(cookie)).toBeUndefined();
  });

  it('without the form’s CSRF token nothing changes', async () => {
    const cookie = await gateway.acceptNotice(await signIn(ADA), 'ebooks-demo', []);
    const response = await post('/me/sharing/share', cookie, { vendor: 'ebooks-demo', consent: EMAIL });
    expect(response.status).toBe(403);
    expect(await emailSent(cookie)).toBeUndefined();
  });

  it.each([
    ['an unknown vendor', '?done=consent-given&vendor=evil&consent=share-email-with-vendors'],
    ['a consent the contract does not name', '?done=consent-given&vendor=ebooks-demo&consent=%3Cscript%3E'],
    ['an unknown kind of confirmation', '?done=%3Cb%3Ehello%3C%2Fb%3E&vendor=ebooks-demo'],
    ['repeated parameters', '?done=acknowledgement-withdrawn&done=x&vendor=ebooks-demo'],
  ])('a confirmation is shown only for ids the gateway knows: %s shows none and echoes nothing', async (_name, query) => {
    const cookie = await signIn(ADA);
    const page = await (await fetch(`${gateway.url}/me/sharing${query}`, { headers: { cookie } })).text();
    expect(page).not.toContain('role="status"');
    for (const echoed of ['evil', '<script>', '<b>hello', 'hello']) expect(page).not.toContain(echoed);
  });
});
