import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { sendRaw } from '../helpers/raw-http.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * Every place a redirect target comes from the request (sign-in's `next`, the language switch's
 * `next`, the notice's `next` and `back`, the gate's way back from Referer), over raw HTTP: a target
 * that a browser would resolve to another host never leaves as a Location or a form's hidden
 * field. Browsers resolve `/.//evil.example` to `//evil.example`, drop tabs and newlines, and read
 * `\` as `/`, so each of these must come back as `/`.
 */
const PATRON = { patronId: 'p-redirect', barcode: '27200000000001', birthDate: '1980-05-05' };
const PIN = '5150';

const LEAVING: ReadonlyArray<string> = [
  '//evil.example',
  '///evil.example',
  '/.//evil.example',
  '/..//evil.example',
  '/./..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example',
  '/.%2e//evil.example',
  '/./\\evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/.\t//evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/%09/evil.example',
  '/%5C/evil.example',
  '/%5c%5cevil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '/%252F%252Fevil.example',
  '/%25252F%25252Fevil.example',
  'https://evil.example/',
  'https:evil.example',
  'http://127.0.0.1:1/elsewhere',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '',
];

/** Targets inside the gateway: kept as they are (the check does not just send everyone home). */
const INSIDE: ReadonlyArray<[string, string]> = [
  ['/v/books/shelf?x=1', '/v/books/shelf?x=1'],
  ['/me/sharing', '/me/sharing'],
  ['/v/books/a/../b', '/v/books/b'],
];

let upstream: RecordingUpstream;
let gateway: Harness;
let origin: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: [{ record: PATRON, pin: PIN }], contracts: { books: testContract('books', upstream.url, 'identity: { delivery: none }') } });
  origin = gateway.url;
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

function host(): string {
  return new URL(origin).host;
}

/** The Location of a raw response, or undefined. */
function locationOf(raw: string): string | undefined {
  return /^location: (.*)$/im.exec(raw.split('\r\n\r\n')[0] ?? '')?.[1]?.trim();
}

/** A Location stays inside the gateway: same origin once resolved, and not scheme-relative however a browser reads it. */
function expectInside(location: string | undefined, what: string): void {
  expect(location, what).toBeDefined();
  const text = location ?? '';
  expect(text.startsWith('/'), `${what}: a path`).toBe(true);
  expect(/^[/\\][/\\]/.test(text.replace(/[\t\n\r]/g, '')), `${what}: not scheme-relative`).toBe(false);
  expect(new URL(text, origin).origin, what).toBe(origin);
}

async function csrfPair(cookie = ''): Promise<{ cookie: string; token: string }> {
  // The sign-in form after its clearing step (which would end the session in `cookie`).
  const page = await fetch(`${origin}/login?cleared=1`, { headers: cookie ? { cookie } : {} });
  const csrf = (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  return { cookie: [cookie, csrf].filter((c) => c !== '').join('; '), token };
}

function postRaw(path: string, cookie: string, fields: Record<string, string>): Promise<string> {
  const body = new URLSearchParams(fields).toString();
  return sendRaw(origin, `POST ${path} HTTP/1.1\r\nHost: ${host()}\r\nCookie: ${cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function getRaw(target: string, headers: Record<string, string> = {}): Promise<string> {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return sendRaw(origin, `GET ${target} HTTP/1.1\r\nHost: ${host()}\r\n${lines}Connection: close\r\n\r\n`);
}

/** Signs in over HTTP (accepting the notice when asked) and returns the Cookie header. */
async function signedIn(acceptNotice: boolean): Promise<string> {
  return gateway.login(PATRON.barcode, PIN, { acceptNotices: acceptNotice });
}

describe('redirect targets from the request stay inside the gateway', () => {
  describe.each([
    ['sign-in (POST /login next)', async (target: string) => {
      const { cookie, token } = await csrfPair();
      return locationOf(await postRaw('/login', cookie, { barcode: PATRON.barcode, pin: PIN, csrf: token, next: target }));
    }],
    ['the sign-in page (GET /login?next, its own clearing redirect)', async (target: string) => locationOf(await getRaw(`/login?next=${encodeURIComponent(target)}`))],
    ['the language switch, no sign-in needed (GET /language/es?next)', async (target: string) => locationOf(await getRaw(`/language/es?next=${encodeURIComponent(target)}`))],
    ['the notice\'s decline (POST /notices/books back)', async (target: string) => {
      const { cookie, token } = await csrfPair(await signedIn(false));
      return locationOf(await postRaw('/notices/books', cookie, { decision: 'decline', back: target, csrf: token }));
    }],
    ['the notice\'s accept (POST /notices/books next)', async (target: string) => {
      const { cookie, token } = await csrfPair(await signedIn(false));
      return locationOf(await postRaw('/notices/books', cookie, { decision: 'accept', next: target, csrf: token }));
    }],
  ] as const)('%s', (_name, redirectFor) => {
    it.each(LEAVING.map((target) => [JSON.stringify(target), target]))('%s goes home (a browser would leave the gateway, or the target is no path)', async (_label, target) => {
      const location = await redirectFor(target);
      expectInside(location, JSON.stringify(target));
      // The clearing redirect of the sign-in page keeps `next` in its query: what matters is that it is `/` there.
      const next = location?.startsWith('/login?') ? new URL(location, origin).searchParams.get('next') : location;
      expect(next).toBe('/');
    });
    it.each(INSIDE)('%j is kept as %j (a path inside the gateway is honoured)', async (target, expected) => {
      const location = await redirectFor(target);
      const next = location?.startsWith('/login?') ? new URL(location, origin).searchParams.get('next') : location;
      expect(next).toBe(expected);
    });
  });

  it.each(LEAVING.map((target) => [JSON.stringify(target), target]))('the sign-in and notice forms never carry %s in a hidden field (the next POST would redirect there)', async (_label, target) => {
    const login = await (await fetch(`${origin}/login?next=${encodeURIComponent(target)}&cleared=1`)).text();
    expect(/name="next" value="([^"]*)"/.exec(login)?.[1]).toBe('/');
    const cookie = await signedIn(false);
    const notice = await (await fetch(`${origin}/notices/books?next=${encodeURIComponent(target)}&back=${encodeURIComponent(target)}`, { headers: { cookie } })).text();
    expect(/name="next" value="([^"]*)"/.exec(notice)?.[1]).toBe('/');
    expect(/name="back" value="([^"]*)"/.exec(notice)?.[1]).toBe('/');
  });

  it.each(LEAVING.filter((t) => t.startsWith('/') && !/[\t\n\r]/.test(t)).map((target) => [JSON.stringify(target), target]))('the gate\'s way back from a Referer of %s is home (Referer is request data too)', async (_label, target) => {
    const cookie = await signedIn(false);
    const raw = await getRaw('/v/books/', { cookie, accept: 'text/html', referer: `${origin}${target}` });
    const location = locationOf(raw) ?? '';
    expect(location.startsWith('/notices/books?')).toBe(true);
    expect(new URL(location, origin).searchParams.get('back')).toBe('/');
  });
});
