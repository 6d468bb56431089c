import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * Sign-out ends the session on the gateway at once, not only in the browser: sessions are sealed
 * cookies, so a copy of the cookie (another tab, a script, someone at the same computer) would
 * otherwise keep working until it expires. The same goes for a session the previous patron left
 * behind on a shared computer: the sign-in page and the next sign-in end it.
 */
const PATRON_A = { patronId: 'p-out-a', barcode: '27300000000001', birthDate: '1980-05-05' };
const PATRON_B = { patronId: 'p-out-b', barcode: '27300000000002', birthDate: '1981-06-06' };

let upstream: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [
      { record: PATRON_A, pin: '6001' },
      { record: PATRON_B, pin: '6002' },
    ],
    contracts: { books: testContract('books', upstream.url, 'identity: { delivery: none }') },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

/** The CSRF token of a signed-in page (the sign-out form on the home page). */
async function csrfOf(cookie: string): Promise<string> {
  const home = await (await fetch(`${gateway.url}/`, { headers: { cookie } })).text();
  return /name="csrf" value="([^"]+)"/.exec(home)?.[1] ?? '';
}

async function signOut(cookie: string): Promise<Response> {
  return fetch(`${gateway.url}/logout`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: await csrfOf(cookie) }).toString(),
  });
}

/** What a copy of the session cookie opens: the sharing page (200) or a way to sign in (303), and the proxy (200 or 401). */
async function whatOpens(cookie: string): Promise<{ sharing: number; proxy: number; vendorSaw: number }> {
  const before = upstream.requests.length;
  const sharing = (await fetch(`${gateway.url}/me/sharing`, { headers: { cookie }, redirect: 'manual' })).status;
  const proxy = (await fetch(`${gateway.url}/v/books/shelf`, { headers: { cookie, accept: 'application/json' }, redirect: 'manual' })).status;
  return { sharing, proxy, vendorSaw: upstream.requests.length - before };
}

const SIGNED_IN = { sharing: 200, proxy: 200, vendorSaw: 1 };
const ENDED = { sharing: 303, proxy: 401, vendorSaw: 0 };

describe('sign-out ends the session on the gateway', () => {
  it('a copy of the session cookie, used (and so cached) before sign-out, opens nothing after it: not the sharing page, not the proxy', async () => {
    const cookie = await gateway.login(PATRON_A.barcode, '6001');
    expect(await whatOpens(cookie)).toEqual(SIGNED_IN);
    const response = await signOut(cookie);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(await whatOpens(cookie)).toEqual(ENDED);
  });

  it('a copy never used before sign-out (not cached on this node) opens nothing either', async () => {
    const cookie = await gateway.login(PATRON_A.barcode, '6001');
    const copy = cookie;
    await signOut(cookie);
    expect(await whatOpens(copy)).toEqual(ENDED);
  });

  it('sign-out tells the browser to clear the site (cache, cookies, storage) and expires the session cookie', async () => {
    const cookie = await gateway.login(PATRON_A.barcode, '6001');
    const response = await signOut(cookie);
    expect(response.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
    expect(response.headers.getSetCookie().find((c) => c.startsWith('gw_session='))).toMatch(/^gw_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it('sign-out without a session, or with a forged one, still signs out (303 home) and ends nothing else', async () => {
    const other = await gateway.login(PATRON_B.barcode, '6002');
    const csrfCookie = other.split('; ').filter((c) => !c.startsWith('gw_session=')).join('; ');
    for (const session of ['', 'gw_session=not-a-token', `gw_session=${'x'.repeat(5000)}`]) {
      const cookie = [session, csrfCookie].filter((c) => c !== '').join('; ');
      const response = await fetch(`${gateway.url}/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: await csrfOf(other) }).toString(),
      });
      expect(response.status, JSON.stringify(session.slice(0, 30))).toBe(303);
    }
    expect(await whatOpens(other)).toEqual(SIGNED_IN);
  });
});

describe('a session left behind on a shared computer ends when the next person signs in', () => {
  it('opening the sign-in page ends the session the browser still holds and clears the site first (a redirect to itself)', async () => {
    const left = await gateway.login(PATRON_A.barcode, '6001');
    const page = await fetch(`${gateway.url}/login?next=${encodeURIComponent('/v/books/')}`, { headers: { cookie: left }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
    expect(page.headers.get('location')).toBe('/login?next=%2Fv%2Fbooks%2F&cleared=1');
    expect(await whatOpens(left)).toEqual(ENDED);
  });

  it('signing in as B with A\'s session still in the browser ends A\'s session; B\'s sign-in clears cache and storage but not cookies (Chromium would take B\'s new session with them)', async () => {
    const left = await gateway.login(PATRON_A.barcode, '6001');
    const form = await fetch(`${gateway.url}/login?cleared=1`, { headers: { cookie: left } });
    const csrfCookie = left.split('; ').find((c) => c.startsWith('gw_csrf=')) ?? '';
    const token = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const sessionA = left.split('; ').find((c) => c.startsWith('gw_session=')) ?? '';
    const response = await fetch(`${gateway.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `${sessionA}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ barcode: PATRON_B.barcode, pin: '6002', csrf: token }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('clear-site-data')).toBe('"cache", "storage"');
    expect(await whatOpens(left)).toEqual(ENDED);
  });

  it('a language the person at the computer chose survives the sign-in page\'s clearing (carried in its redirect)', async () => {
    const page = await fetch(`${gateway.url}/login`, { headers: { cookie: 'gw_lang=es' }, redirect: 'manual' });
    expect(page.headers.get('location')).toBe('/login?next=%2F&lang=es&cleared=1');
    const form = await fetch(`${gateway.url}${page.headers.get('location') ?? ''}`);
    expect(await form.text()).toMatch(/<html lang="es"/);
    expect(form.headers.getSetCookie().some((c) => c.startsWith('gw_lang=es;'))).toBe(true);
  });
});
