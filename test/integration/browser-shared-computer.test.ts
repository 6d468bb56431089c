/// <reference lib="dom" />
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * A shared library computer, in real Chromium: patron A signs in, uses a vendor that sets a cookie
 * and serves a cacheable, ETag'd resource, signs out; patron B signs in on the same browser. The
 * vendor must see none of A's cookies or validators next to B's requests, B must stay signed in
 * (Clear-Site-Data at sign-in does not take B's new session with it), and A's copied session
 * cookie must open nothing after A signed out.
 */
const PATRON_A = { patronId: 'p-shared-a', barcode: '27100000000001', birthDate: '1980-05-05' };
const PATRON_B = { patronId: 'p-shared-b', barcode: '27100000000002', birthDate: '1979-03-03' };
const PINS: Record<string, string> = { [PATRON_A.barcode]: '4111', [PATRON_B.barcode]: '4222' };

let vendor: RecordingUpstream;
let gateway: Harness;
let browser: Browser;
/** The session value the vendor handed out last (what the vendor would use to link visits). */
let lastVsid = '';

beforeAll(async () => {
  vendor = await startRecordingUpstream();
  vendor.respond((req, res) => {
    if (req.url === '/start') {
      // A per-visitor value, as a vendor's own session id would be: fresh for every visit.
      lastVsid = randomBytes(9).toString('base64url');
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `vsid=${lastVsid}; Path=/; Max-Age=3600` });
      res.end('{"started":true}');
      return;
    }
    if (req.url === '/cover') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600', etag: `"${randomBytes(6).toString('hex')}"` });
      res.end('{"cover":true}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  gateway = await startGateway({
    patrons: [
      { record: PATRON_A, pin: PINS[PATRON_A.barcode] ?? '' },
      { record: PATRON_B, pin: PINS[PATRON_B.barcode] ?? '' },
    ],
    contracts: { books: testContract('books', vendor.url, 'identity: { delivery: jwt }\npreset: pseudonymous') },
  });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await vendor?.close();
});

async function signIn(page: Page, barcode: string): Promise<void> {
  await page.goto(`${gateway.url}/login`);
  await page.getByLabel('Library card number').fill(barcode);
  await page.getByLabel('PIN').fill(PINS[barcode] ?? '');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${gateway.url}/`);
}

/** Opens the vendor's notice and accepts it (each patron decides for themselves). */
async function acceptNotice(page: Page): Promise<void> {
  await page.goto(`${gateway.url}/notices/books`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForLoadState();
}

/** A fetch from a gateway page, as a vendor page's script or the browser's own loads would make it (the HTTP cache applies). */
async function fetchInPage(page: Page, path: string): Promise<number> {
  await page.goto(`${gateway.url}/privacy/vendors`);
  return page.evaluate(async (target) => (await fetch(target, { credentials: 'same-origin' })).status, path);
}

/** Patron A's visit: sign in, accept, a vendor cookie, a cached ETag'd resource. Returns A's vendor cookie value and session token. */
async function visitAsA(page: Page): Promise<{ vsid: string; session: string }> {
  const context = page.context();
  await signIn(page, PATRON_A.barcode);
  await acceptNotice(page);
  expect(await fetchInPage(page, '/v/books/start')).toBe(200);
  const stored = (await context.cookies()).find((c) => c.name === 'vc.books.vsid');
  expect(stored, 'the browser keeps A\'s vendor cookie (rescoped)').toBeDefined();
  const vsid = lastVsid;
  expect(stored?.value.endsWith(vsid)).toBe(true);
  const coverRequests = (): number => vendor.requests.filter((r) => r.url === '/cover').length;
  expect(await fetchInPage(page, '/v/books/cover')).toBe(200);
  const afterFirst = coverRequests();
  expect(await fetchInPage(page, '/v/books/cover')).toBe(200);
  // The cache is real: A's second look did not reach the vendor (so B's look below means something).
  expect(coverRequests()).toBe(afterFirst);
  // And the vendor does get A's cookie back while A is signed in (binding keeps the vendor working).
  expect(await fetchInPage(page, '/v/books/shelf')).toBe(200);
  expect(vendor.requests.at(-1)?.headers.cookie).toBe(`vsid=${vsid}`);
  const session = (await context.cookies()).find((c) => c.name === 'gw_session')?.value ?? '';
  expect(session).not.toBe('');
  return { vsid, session };
}

/** Patron B on the same browser: signs in, stays signed in, and the vendor sees nothing of A. */
async function visitAsBAfter(page: Page, a: { vsid: string }): Promise<void> {
  const seenBeforeB = vendor.requests.length;
  await signIn(page, PATRON_B.barcode);
  // Still signed in after the sign-in's clearing: the page is B's own sharing page.
  await page.goto(`${gateway.url}/me/sharing`);
  expect(new URL(page.url()).pathname).toBe('/me/sharing');
  await acceptNotice(page);
  expect(await fetchInPage(page, '/v/books/cover')).toBe(200);
  expect(await fetchInPage(page, '/v/books/shelf')).toBe(200);
  const seenWithB = vendor.requests.slice(seenBeforeB);
  // B's cover came from the vendor, not from A's cache, and without A's validator.
  expect(seenWithB.filter((r) => r.url === '/cover')).toHaveLength(1);
  for (const request of seenWithB) {
    expect(request.headers['if-none-match'], `${request.url}: no validator from A`).toBeUndefined();
    expect(request.all, `${request.url}: none of A's vendor cookie`).not.toContain(a.vsid);
    expect(request.headers.cookie, `${request.url}: no vendor cookie at all for B`).toBeUndefined();
  }
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name === 'gw_session')).toBe(true);
  expect(cookies.some((c) => c.value.endsWith(a.vsid)), 'A\'s vendor cookie is gone from the browser').toBe(false);
}

describe('a shared library computer (Chromium)', () => {
  it('patron A signs out; patron B on the same browser carries none of A\'s vendor cookies or cached responses, stays signed in, and A\'s copied session opens nothing', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    try {
      const page = await context.newPage();
      const a = await visitAsA(page);
      await page.goto(`${gateway.url}/`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${gateway.url}/`);
      // Sign-out cleared the browser (Clear-Site-Data): A's vendor cookie is gone at once.
      expect((await context.cookies()).some((c) => c.name === 'vc.books.vsid')).toBe(false);
      // A's copied session cookie opens nothing any more (this node ended the session at once).
      const copied = await fetch(`${gateway.url}/me/sharing`, { headers: { cookie: `gw_session=${a.session}` }, redirect: 'manual' });
      expect(copied.status).toBe(303);
      expect(copied.headers.get('location')).toMatch(/^\/login\?next=/);
      await visitAsBAfter(page, a);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('patron A walks away without signing out; patron B signing in on the same browser still carries nothing of A, and A\'s session ends', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    try {
      const page = await context.newPage();
      const a = await visitAsA(page);
      await visitAsBAfter(page, a);
      const copied = await fetch(`${gateway.url}/me/sharing`, { headers: { cookie: `gw_session=${a.session}` }, redirect: 'manual' });
      expect(copied.status).toBe(303);
    } finally {
      await context.close();
    }
  }, 60_000);
});
