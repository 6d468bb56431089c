import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * Rotating the session key without signing anyone out, over real HTTP. Three gateways stand for
 * the three steps of the procedure in the README, all with the same pseudonym secret:
 *   before:   secrets.sessionKey = OLD
 *   rotating: secrets.sessionKey = NEW, previousSessionKeys = [OLD]
 *   after:    secrets.sessionKey = NEW (OLD removed)
 * A session sealed before the rotation still opens while OLD is listed and reads as no session
 * once it is removed; a session sealed during it is sealed under NEW. The patron's vendor cookies
 * and notice choices outlive both steps (they are keyed from the pseudonym secret).
 */
const OLD = Buffer.alloc(32, 0x11);
const NEW = Buffer.alloc(32, 0x22);
const PATRON = { patronId: 'p-rotate', barcode: '27600000000001', birthDate: '1980-05-05' };
const PIN = '6001';
const OTHER = { patronId: 'p-rotate-other', barcode: '27600000000002', birthDate: '1981-01-01' };

let books: RecordingUpstream;
let before: Harness;
let rotating: Harness;
let after: Harness;
/** Session cookie (and CSRF cookie) sealed by `before`, and its notice-choices cookie. */
let oldSession: string;
let oldNotices: string;
/** The vendor cookie `before` stored in the browser for this patron. */
let vendorJar: string;

beforeAll(async () => {
  books = await startRecordingUpstream();
  books.respond((req, res) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (req.url === '/start') headers['set-cookie'] = 'shelf=kept-across-rotation; Max-Age=86400; Path=/';
    res.writeHead(200, headers);
    res.end('{}');
  });
  const common = { patrons: [{ record: PATRON, pin: PIN }, { record: OTHER, pin: '6002' }], contracts: { books: testContract('books', books.url, 'identity: { delivery: none }') } };
  before = await startGateway({ ...common, sessionKeys: { current: OLD } });
  rotating = await startGateway({ ...common, sessionKeys: { current: NEW, previous: [OLD] } });
  after = await startGateway({ ...common, sessionKeys: { current: NEW } });
  const signedIn = await before.login(PATRON.barcode, PIN);
  oldSession = signedIn.split('; ').filter((c) => !c.startsWith('gw_notices=')).join('; ');
  oldNotices = signedIn.split('; ').find((c) => c.startsWith('gw_notices=')) ?? '';
  expect(oldNotices).not.toBe('');
  const start = await fetch(`${before.url}/v/books/start`, { headers: { cookie: signedIn, accept: 'application/json' } });
  expect(start.status).toBe(200);
  vendorJar = start.headers.getSetCookie().find((c) => c.startsWith('vc.books.shelf='))?.split(';')[0] ?? '';
  expect(vendorJar).toMatch(/^vc\.books\.shelf=[A-Za-z0-9_-]{8}\.kept-across-rotation$/);
});

afterAll(async () => {
  await Promise.all([before?.close(), rotating?.close(), after?.close()]);
  await books?.close();
});

/** One API request to the vendor through `gateway`: the status and the Cookie header the vendor received (undefined: not forwarded). */
async function callVendor(gateway: Harness, cookie: string): Promise<{ status: number; vendorCookie: string | undefined; forwarded: boolean }> {
  const count = books.requests.length;
  const response = await fetch(`${gateway.url}/v/books/shelf`, { headers: { cookie, accept: 'application/json' } });
  await response.arrayBuffer();
  const forwarded = books.requests.length === count + 1;
  return { status: response.status, vendorCookie: forwarded ? books.requests.at(-1)?.headers.cookie : undefined, forwarded };
}

async function signIn(gateway: Harness, csrfFrom: Harness = gateway): Promise<{ status: number; session: string | undefined }> {
  const page = await fetch(`${csrfFrom.url}/login`);
  const csrfCookie = (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${gateway.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
    body: new URLSearchParams({ barcode: PATRON.barcode, pin: PIN, csrf: token, next: '/' }).toString(),
  });
  await response.arrayBuffer();
  const session = response.headers.getSetCookie().find((c) => c.startsWith('gw_session='))?.split(';')[0];
  return { status: response.status, session: session === undefined ? undefined : `${session}; ${csrfCookie}` };
}

describe('a session key rotation signs nobody out', () => {
  it('while the old key is listed as previous, a session sealed before the rotation still opens, with its notice choices and vendor cookies', async () => {
    const result = await callVendor(rotating, [oldSession, oldNotices, vendorJar].join('; '));
    expect(result.status).toBe(200);
    expect(result.vendorCookie).toBe('shelf=kept-across-rotation');
  });

  it('new sessions are sealed under the new key: a gateway that knows only the old key cannot open them', async () => {
    const fresh = await signIn(rotating);
    expect(fresh.status).toBe(303);
    expect(fresh.session).toBeDefined();
    const session = fresh.session ?? '';
    expect((await callVendor(rotating, [session, oldNotices].join('; '))).status).toBe(200);
    expect((await callVendor(before, [session, oldNotices].join('; '))).status).toBe(401);
    expect((await callVendor(after, [session, oldNotices].join('; '))).status).toBe(200);
  });

  it('a sign-in form opened before the rotation (CSRF token under the old key) still posts during it, and not after the old key is removed', async () => {
    expect((await signIn(rotating, before)).status).toBe(303);
    const refused = await signIn(after, before);
    expect(refused.status).not.toBe(303);
    expect(refused.session).toBeUndefined();
  });

  it('once the old key is removed, a session sealed under it reads as no session: API clients get 401, browsers are sent to sign in, nothing reaches the vendor', async () => {
    const cookie = [oldSession, oldNotices, vendorJar].join('; ');
    const api = await callVendor(after, cookie);
    expect(api).toEqual({ status: 401, vendorCookie: undefined, forwarded: false });
    const browser = await fetch(`${after.url}/v/books/shelf`, { redirect: 'manual', headers: { cookie, accept: 'text/html' } });
    await browser.arrayBuffer();
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toMatch(/^\/login\?/);
  });

  it('after the old key is removed, the patron signs in again and finds the vendor cookies and notice choices made before the rotation', async () => {
    const fresh = await signIn(after);
    expect(fresh.status).toBe(303);
    const result = await callVendor(after, [fresh.session ?? '', oldNotices, vendorJar].join('; '));
    expect(result.status).toBe(200);
    expect(result.vendorCookie).toBe('shelf=kept-across-rotation');
  });

  it('the vendor cookie is still bound to its patron after the rotation: another patron on the same browser does not get it', async () => {
    const other = await after.login(OTHER.barcode, '6002');
    const result = await callVendor(after, [other, vendorJar].join('; '));
    expect(result.status).toBe(200);
    expect(result.vendorCookie ?? '').not.toContain('kept-across-rotation');
  });
});
