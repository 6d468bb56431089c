import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * On an https public URL every cookie of the gateway's own is a `__Host-` cookie: Secure, Path=/,
 * no Domain, so no sibling host under the same domain (and no http page) can set or shadow it: a
 * planted session (fixation), CSRF cookie or notice cookie is refused by the browser. Found by
 * walking every page that sets one: the sign-in page, sign-in, a notice, the language switch,
 * sign-out. Vendor cookies cannot be __Host- (they are scoped to /v/<vendor>/) but are Secure.
 */
const PATRON = { patronId: 'p-host', barcode: '27600000000001', birthDate: '1980-05-05' };
const PUBLIC_URL = 'https://gateway.library.test';

let upstream: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  upstream.respond((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sid=v1; Path=/' });
    res.end('{}');
  });
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '9001' }],
    contracts: { books: testContract('books', upstream.url, 'identity: { delivery: none }') },
    settings: { publicUrl: PUBLIC_URL },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

/** A browser-like jar: keeps name=value of every Set-Cookie seen, and every Set-Cookie line for inspection. */
function jar() {
  const values = new Map<string, string>();
  const seen: string[] = [];
  return {
    seen,
    take(response: Response): Response {
      for (const line of response.headers.getSetCookie()) {
        seen.push(line);
        const pair = line.split(';')[0] ?? '';
        const eq = pair.indexOf('=');
        values.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      return response;
    },
    header: (): string => [...values].filter(([, v]) => v !== '').map(([k, v]) => `${k}=${v}`).join('; '),
  };
}

const csrfIn = async (response: Response): Promise<string> => /name="csrf" value="([^"]+)"/.exec(await response.text())?.[1] ?? '';

describe('gateway cookies on https', () => {
  it('every cookie the gateway\'s own pages set is __Host- (Secure, Path=/, no Domain), and the session works under that name', async () => {
    const cookies = jar();
    const get = async (path: string) => cookies.take(await fetch(`${gateway.url}${path}`, { headers: { cookie: cookies.header() }, redirect: 'manual' }));
    const post = async (path: string, fields: Record<string, string>) =>
      cookies.take(await fetch(`${gateway.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: cookies.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }));

    await get('/language/es?next=/');
    await get('/login');
    const token = await csrfIn(await get('/login?cleared=1'));
    expect((await post('/login', { barcode: PATRON.barcode, pin: '9001', csrf: token })).status).toBe(303);
    const notice = await csrfIn(await get('/notices/books'));
    expect((await post('/notices/books', { decision: 'accept', csrf: notice })).status).toBe(303);
    expect((await get('/me/sharing')).status).toBe(200);
    const home = await csrfIn(await get('/'));
    expect((await post('/logout', { csrf: home })).status).toBe(303);

    const own = cookies.seen;
    const names = new Set(own.map((line) => line.split('=')[0]));
    expect([...names].sort()).toEqual(['__Host-gw_csrf', '__Host-gw_lang', '__Host-gw_notices', '__Host-gw_session']);
    for (const line of own) {
      expect(line, line.slice(0, 40)).toMatch(/; Secure(;|$)/);
      expect(line, line.slice(0, 40)).toMatch(/; Path=\/(;|$)/);
      expect(line.toLowerCase(), line.slice(0, 40)).not.toMatch(/; domain=/);
    }
  });

  it('a session cookie without the prefix (planted by a sibling host, or left from http) is not a session', async () => {
    const page = await fetch(`${gateway.url}/login?cleared=1`);
    const csrfCookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const csrfToken = await csrfIn(page);
    const response = await fetch(`${gateway.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ barcode: PATRON.barcode, pin: '9001', csrf: csrfToken }).toString(),
    });
    const session = (response.headers.getSetCookie().find((c) => c.startsWith('__Host-gw_session=')) ?? '').split(';')[0] ?? '';
    const token = session.slice(session.indexOf('=') + 1);
    expect((await fetch(`${gateway.url}/me/sharing`, { headers: { cookie: `__Host-gw_session=${token}` }, redirect: 'manual' })).status).toBe(200);
    expect((await fetch(`${gateway.url}/me/sharing`, { headers: { cookie: `gw_session=${token}` }, redirect: 'manual' })).status).toBe(303);
    // And a CSRF cookie without the prefix does not verify a form either.
    const plain = await fetch(`${gateway.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: `__Host-gw_session=${token}; ${csrfCookie.replace('__Host-', '')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: csrfToken }).toString() });
    expect(plain.status).toBe(403);
  });

  it('vendor cookies are Secure on https (they are scoped to the vendor\'s path, so they cannot be __Host-)', async () => {
    const page = await fetch(`${gateway.url}/login?cleared=1`);
    const csrfCookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const login = await fetch(`${gateway.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ barcode: PATRON.barcode, pin: '9001', csrf: await csrfIn(page) }).toString(),
    });
    const session = (login.headers.getSetCookie().find((c) => c.startsWith('__Host-gw_session=')) ?? '').split(';')[0] ?? '';
    const notice = await fetch(`${gateway.url}/notices/books`, { headers: { cookie: `${session}; ${csrfCookie}` } });
    const accepted = await fetch(`${gateway.url}/notices/books`, { method: 'POST', redirect: 'manual', headers: { cookie: `${session}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'accept', csrf: await csrfIn(notice) }).toString() });
    const notices = (accepted.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const response = await fetch(`${gateway.url}/v/books/x`, { headers: { cookie: `${session}; ${notices}` } });
    expect(response.status).toBe(200);
    const [vendorCookie] = response.headers.getSetCookie();
    expect(vendorCookie).toMatch(/^vc\.books\.sid=[A-Za-z0-9_-]{8}\.v1; Path=\/v\/books\/; HttpOnly; Secure; SameSite=Lax$/);
  });
});
