import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, vendorCookieTag, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * Vendor cookies are bound to the patron they were set for: the browser stores
 * `vc.<vendor>.<name>=<patron tag>.<value>` and the vendor is sent a cookie only when its tag is
 * the current patron's for that vendor. On a shared computer patron B's browser may still hold
 * A's cookie (Path=/v/<vendor>/ cookies never reach /logout); the vendor must not get it next to B.
 */
const PATRON_A = { patronId: 'p-bind-a', barcode: '27500000000001', birthDate: '1980-05-05' };
const PATRON_B = { patronId: 'p-bind-b', barcode: '27500000000002', birthDate: '1982-02-02' };

let books: RecordingUpstream;
let films: RecordingUpstream;
let gateway: Harness;
let cookieA: string;
let cookieB: string;

beforeAll(async () => {
  books = await startRecordingUpstream();
  films = await startRecordingUpstream();
  books.respond((req, res) => {
    if (req.url === '/start') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': [
          'sid=visit-of-a; Path=/; HttpOnly',
          'gw_session=vendor-tries-the-gateway-session; Path=/',
          '__Host-gw_session=vendor-tries-a-host-cookie; Path=/; Secure',
          'wide=1; Domain=127.0.0.1; Path=/',
          'bad name=1',
          '=no-name',
          'nocolon',
          'spaced=a b',
          'comma=a,b',
          'good=kept; Max-Age=600',
        ],
      });
      res.end('{}');
      return;
    }
    if (req.url === '/forget') {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sid=; Max-Age=0; Path=/' });
      res.end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  gateway = await startGateway({
    patrons: [
      { record: PATRON_A, pin: '8001' },
      { record: PATRON_B, pin: '8002' },
    ],
    contracts: {
      books: testContract('books', books.url, 'identity: { delivery: none }'),
      films: testContract('films', films.url, 'identity: { delivery: none }'),
    },
  });
  cookieA = await gateway.login(PATRON_A.barcode, '8001');
  cookieB = await gateway.login(PATRON_B.barcode, '8002');
});
afterAll(async () => {
  await gateway.close();
  await books.close();
  await films.close();
});

/** The Cookie header the vendor received for one request, or undefined for none. */
async function vendorGets(upstream: RecordingUpstream, vendor: string, session: string, jar: string): Promise<string | undefined> {
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}/v/${vendor}/shelf`, { headers: { cookie: [session, jar].filter((c) => c !== '').join('; ') } });
  expect(response.status).toBe(200);
  expect(upstream.requests.length).toBe(before + 1);
  return upstream.requests.at(-1)?.headers.cookie;
}

describe('vendor cookies are bound to the patron they were set for', () => {
  it('a vendor\'s cookies are stored under A\'s tag; malformed ones are dropped, never passed raw; a vendor cannot set a gateway cookie', async () => {
    const response = await fetch(`${gateway.url}/v/books/start`, { headers: { cookie: cookieA } });
    const tag = vendorCookieTag(PATRON_A.patronId, 'books');
    expect(tag).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(response.headers.getSetCookie()).toEqual([
      `vc.books.sid=${tag}.visit-of-a; Path=/v/books/; HttpOnly; SameSite=Lax`,
      `vc.books.gw_session=${tag}.vendor-tries-the-gateway-session; Path=/v/books/; HttpOnly; SameSite=Lax`,
      `vc.books.__Host-gw_session=${tag}.vendor-tries-a-host-cookie; Path=/v/books/; HttpOnly; SameSite=Lax`,
      `vc.books.wide=${tag}.1; Path=/v/books/; HttpOnly; SameSite=Lax`,
      // A comma is a valid cookie character for browsers (and the cookie library): kept.
      `vc.books.comma=${tag}.a,b; Path=/v/books/; HttpOnly; SameSite=Lax`,
      `vc.books.good=${tag}.kept; Max-Age=600; Path=/v/books/; HttpOnly; SameSite=Lax`,
    ]);
  });

  it.each([
    ['A\'s own cookie goes back to the vendor, untagged, exactly as the vendor set it', () => cookieA, (): string => `vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'books')}.visit-of-a`, 'sid=visit-of-a'],
    ['A\'s cookie in B\'s requests (the same browser after A left) reaches the vendor not at all', () => cookieB, (): string => `vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'books')}.visit-of-a`, undefined],
    ['next to B\'s own cookie, only B\'s goes', () => cookieB, (): string => `vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'books')}.visit-of-a; vc.books.pref=${vendorCookieTag(PATRON_B.patronId, 'books')}.dark`, 'pref=dark'],
    ['an untagged cookie (stored before binding, or planted) is dropped', () => cookieA, (): string => 'vc.books.sid=visit-of-a', undefined],
    ['a forged tag is dropped (the tag is keyed: it cannot be made without the gateway\'s key)', () => cookieA, (): string => 'vc.books.sid=AAAAAAAA.visit-of-a', undefined],
    ['A\'s tag for another vendor does not pass for this one (tags are per vendor)', () => cookieA, (): string => `vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'films')}.visit-of-a`, undefined],
    ['a tag without its dot does not pass (the value must start with tag and dot)', () => cookieA, (): string => `vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'books')}visit-of-a`, undefined],
    ['an empty vendor value survives binding (tag and dot only)', () => cookieA, (): string => `vc.books.empty=${vendorCookieTag(PATRON_A.patronId, 'books')}.`, 'empty='],
  ] as const)('%s', async (_name, session, jar, expected) => {
    expect(await vendorGets(books, 'books', session(), jar())).toBe(expected);
  });

  it('A\'s cookie in B\'s request is expired in the browser by the response (it does not outlive A there either)', async () => {
    const jar = `vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'books')}.visit-of-a; vc.books.pref=${vendorCookieTag(PATRON_B.patronId, 'books')}.dark`;
    const response = await fetch(`${gateway.url}/v/books/shelf`, { headers: { cookie: `${cookieB}; ${jar}` } });
    expect(response.headers.getSetCookie()).toEqual(['vc.books.sid=; Max-Age=0; Path=/v/books/; HttpOnly; SameSite=Lax']);
  });

  it('another vendor gets none of these cookies, tagged for it or not', async () => {
    const jar = `vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'books')}.visit-of-a; vc.booksx.sid=${vendorCookieTag(PATRON_A.patronId, 'films')}.x`;
    expect(await vendorGets(films, 'films', cookieA, jar)).toBeUndefined();
  });

  it('a vendor deleting its cookie deletes it at the rescoped path (Max-Age=0 kept)', async () => {
    const response = await fetch(`${gateway.url}/v/books/forget`, { headers: { cookie: cookieA } });
    expect(response.headers.getSetCookie()).toEqual([`vc.books.sid=${vendorCookieTag(PATRON_A.patronId, 'books')}.; Max-Age=0; Path=/v/books/; HttpOnly; SameSite=Lax`]);
  });

  it('the tag differs per patron and per vendor, and holds no patron value', () => {
    const tags = [vendorCookieTag(PATRON_A.patronId, 'books'), vendorCookieTag(PATRON_B.patronId, 'books'), vendorCookieTag(PATRON_A.patronId, 'films')];
    expect(new Set(tags).size).toBe(3);
    for (const tag of tags) for (const value of [PATRON_A.patronId, PATRON_A.barcode, PATRON_B.patronId]) expect(value).not.toContain(tag);
  });
});
