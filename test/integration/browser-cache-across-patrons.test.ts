/// <reference lib="dom" />
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * In a real Chromium, on one shared computer: patron A opens a vendor document whose ETag and
 * Last-Modified the vendor made unique to A; A's cookies are all cleared and patron B signs in and
 * opens the same document. The vendor must not receive A's identifier under B's identity.
 */
const ANA = { patronId: 'p-bc-ana', barcode: '27600000000001', birthDate: '1980-01-01' };
const BEA = { patronId: 'p-bc-bea', barcode: '27600000000002', birthDate: '1981-01-01' };
const CANARY = 'ana-cache-canary-91d2';

let upstream: RecordingUpstream;
let gateway: Harness;
let browser: Browser;
let ana = '';
let bea = '';

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  upstream.respond((req, res) => {
    if (req.headers['if-none-match'] === `W/"${CANARY}"`) {
      res.writeHead(304, { ETag: `W/"${CANARY}"` });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', ETag: `W/"${CANARY}"`, 'Last-Modified': 'Tue, 03 Nov 2026 10:00:07 GMT', 'Cache-Control': 'max-age=0' });
    res.end('chapter one');
  });
  gateway = await startGateway({
    patrons: [
      { record: ANA, pin: '1111' },
      { record: BEA, pin: '2222' },
    ],
    contracts: { cache: testContract('cache', upstream.url, 'identity: { delivery: none }') },
  });
  ana = await gateway.login(ANA.barcode, '1111');
  bea = await gateway.login(BEA.barcode, '2222');
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await upstream?.close();
});

async function signIn(context: BrowserContext, cookie: string): Promise<void> {
  await context.clearCookies();
  const host = new URL(gateway.url).hostname;
  await context.addCookies(
    cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: host, path: '/', httpOnly: true, sameSite: 'Lax' as const };
    }),
  );
}

describe('the browser cache does not link patrons', () => {
  it('A\'s own revalidation works; what A\'s visit cached never reaches the vendor with B\'s visit', async () => {
    // One context: one browser profile and one HTTP cache, as on a library's public computer.
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await signIn(context, ana);
      await page.goto(`${gateway.url}/v/cache/doc`);
      expect(await page.locator('body').textContent()).toContain('chapter one');
      // A again: the cached copy is revalidated with A's own validator, untagged for the vendor.
      const again = upstream.requests.length;
      await page.goto(`${gateway.url}/v/cache/doc`);
      expect(await page.locator('body').textContent()).toContain('chapter one');
      expect(upstream.requests.slice(again).map((r) => r.headers['if-none-match'])).toEqual([`W/"${CANARY}"`]);
      await signIn(context, bea);
      const before = upstream.requests.length;
      await page.goto(`${gateway.url}/v/cache/doc`);
      expect(await page.locator('body').textContent()).toContain('chapter one');
      const underBea = upstream.requests.slice(before);
      expect(underBea.length).toBeGreaterThan(0);
      for (const request of underBea) expect(request.all).not.toContain(CANARY);
      expect(underBea.every((r) => r.headers['if-modified-since'] === undefined)).toBe(true);
    } finally {
      await context.close();
    }
  });
});
