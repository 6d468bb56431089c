/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { demoSiteContract, PROXY_HOST, proxiedHost, startDemoSite } from '../helpers/browse.ts';

/**
 * In a real Chromium, the demo website (a pages host, a CDN, an API host and a third-party tracker)
 * browsed through browse mode: links followed, a form posted, images, styles and scripts loaded
 * from each allowed host and the API called by a script; every request the browser makes is
 * recorded, and none goes anywhere but the gateway's own origins. The tracker is never reached and
 * is counted; a vendor script cannot read the gateway's pages or another vendor's origin; a ticket
 * replayed on another vendor's origin opens nothing.
 */
const PATRON = { patronId: 'p-bb-1', barcode: '27600000000001', birthDate: '1980-01-01' };

let site: Awaited<ReturnType<typeof startDemoSite>>;
let gateway: Harness;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];
const STAFF_TOKEN = 'staff-token-for-the-browse-test-0123456789';
let port = '';

beforeAll(async () => {
  site = await startDemoSite();
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '3333' }],
    contracts: { web: demoSiteContract('web', site.port), other: demoSiteContract('other', site.port, { host: 'www.other-vendor.example', extraHosts: [] }) },
    browse: { proxyHost: PROXY_HOST },
    tokens: { staffToken: STAFF_TOKEN },
  });
  port = new URL(gateway.url).port;
  // Every name resolved to loopback only through the rules: the proxy domain's names go to the
  // gateway; anything else (the demo's real host names) resolves nowhere.
  browser = await launchChromium({ hostResolverRules: `MAP *.${PROXY_HOST} 127.0.0.1, MAP 127.0.0.1 127.0.0.1, MAP * ~NOTFOUND` });
  context = await browser.newContext();
  const cookie = await gateway.login(PATRON.barcode, '3333');
  await context.addCookies(cookie.split('; ').map((pair) => ({ name: pair.split('=')[0] as string, value: pair.slice(pair.indexOf('=') + 1), url: gateway.url })));
  context.on('request', (request) => requested.push(request.url()));
  page = await context.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await site?.close();
});

const pagesHost = (): string => proxiedHost(`pages.browse-demo.example:${site.port}`, gateway.url);

/** True for a URL on the gateway's own origin or one of its proxied origins. */
function isGatewayOrigin(url: string): boolean {
  if (url.startsWith('data:') || url.startsWith('about:') || url.startsWith('blob:')) return true;
  const parsed = new URL(url);
  return parsed.origin === gateway.url || (parsed.hostname.endsWith(`.${PROXY_HOST}`) && parsed.port === port);
}

async function blockedCount(kind: string): Promise<number> {
  return Number(new RegExp(`gateway_blocked_hosts_total\\{vendor="web",host_kind="${kind}"\\} (\\d+)`).exec(await gateway.app.metrics.registry.metrics())?.[1] ?? '0');
}

describe('browsing the demo website through browse mode', () => {
  it('/browse/web lands on the pages origin with the CDN style sheet, image and script, and the API data the script fetched', async () => {
    await page.goto(`${gateway.url}/browse/web`);
    expect(new URL(page.url()).host).toBe(pagesHost());
    await page.waitForFunction(() => document.body.dataset['api'] !== undefined, undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => document.body.dataset['api'])).toBe('loaded');
    expect(await page.locator('#items li').allTextContents()).toEqual(['Atlas of Rivers', 'Field Guide to Ferns', 'Letters from the Lighthouse']);
    expect(await page.evaluate(() => (document.getElementById('logo') as HTMLImageElement).naturalWidth)).toBe(40);
    expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toBe('sans-serif');
    for (const kind of ['cdn', 'api']) expect(site.hits.some((hit) => hit.host === `${kind}.browse-demo.example`)).toBe(true);
  });

  it('follows a relative link and an absolute link, each on the pages origin', async () => {
    await page.click('#relative');
    await page.waitForSelector('#article');
    expect(await page.textContent('#article')).toBe('Article 1');
    await page.click('#back');
    await page.click('#absolute');
    await page.waitForSelector('#article');
    expect(await page.textContent('#article')).toBe('Article 2');
    expect(new URL(page.url()).host).toBe(pagesHost());
  });

  it('posts the search form to the vendor through its origin', async () => {
    await page.click('#back');
    await page.fill('input[name=q]', 'ferns');
    await Promise.all([page.waitForSelector('#results'), page.click('button[type=submit]')]);
    expect(await page.textContent('#results')).toBe('Results for ferns');
  });

  it("every request the browser made went to the gateway's own origins: never to a vendor host or the tracker", async () => {
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((url) => !isGatewayOrigin(url))).toEqual([]);
  });

  it('the tracker host was never reached (by the browser or the gateway) and each blocked reference was counted as analytics', async () => {
    expect(site.hits.filter((hit) => hit.host === 'tracker.example')).toEqual([]);
    expect(await blockedCount('analytics')).toBeGreaterThan(0);
    // Named for the staff console (the metric has kinds only), with the first-party beacon the default list blocked.
    const named = gateway.app.browse?.blockedHosts('web') ?? [];
    expect(named.find((entry) => entry.host === `tracker.example:${site.port}`)).toMatchObject({ kind: 'analytics' });
    expect(named.find((entry) => entry.host === `pages.browse-demo.example:${site.port}`)).toMatchObject({ kind: 'other' });
    // The staff console's vendor page names them (host names only: never anything about a patron).
    const vendorPage = await (await fetch(`${gateway.url}/staff/vendors/web`, { headers: { authorization: `Bearer ${STAFF_TOKEN}`, accept: 'text/html' } })).text();
    expect(vendorPage).toContain(`data-blocked-host="tracker.example:${site.port}"`);
    expect(vendorPage).not.toContain(PATRON.barcode);
  });

  it("a vendor script cannot read the gateway's pages or another vendor's origin", async () => {
    const other = `http://${proxiedHost(`www.other-vendor.example:${site.port}`, gateway.url)}/`;
    const results = await page.evaluate(
      async (targets) =>
        Promise.all(
          targets.map(async (target) => {
            try {
              const response = await fetch(target, { credentials: 'include' });
              return `read ${response.status}: ${(await response.text()).slice(0, 40)}`;
            } catch {
              return 'failed';
            }
          }),
        ),
      [`${gateway.url}/me/sharing`, other],
    );
    expect(results).toEqual(['failed', 'failed']);
  });

  it("a ticket replayed on another vendor's origin opens nothing", async () => {
    const ticketUrl = requested.find((url) => url.includes('/.gw/enter?t='));
    expect(ticketUrl).toBeDefined();
    const ticket = new URL(ticketUrl as string).searchParams.get('t') as string;
    const other = await context.newPage();
    const response = await other.goto(`http://${proxiedHost(`www.other-vendor.example:${site.port}`, gateway.url)}/.gw/enter?t=${ticket}`);
    expect(response?.status()).toBe(403);
    const cookies = await context.cookies(`http://${proxiedHost(`www.other-vendor.example:${site.port}`, gateway.url)}/`);
    expect(cookies).toEqual([]);
    await other.close();
  });
});
