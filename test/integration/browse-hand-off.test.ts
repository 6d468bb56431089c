import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { browseRequest, demoSiteContract, enterVendor, PROXY_HOST, proxiedHost, startDemoSite } from '../helpers/browse.ts';

/**
 * The hand-off from the gateway to a vendor's origins: /browse/{vendor} signs the patron in, applies
 * the notice, and sends the browser through each of the vendor's origins with a signed, single-use,
 * seconds-long ticket that origin exchanges for a host-only cookie of its own. A ticket or cookie is
 * worth one origin; sessions there end with the gateway session.
 */
const PATRON = { patronId: 'p-browse-1', barcode: '27100000000001', birthDate: '1980-01-01', email: 'canary.browse@example.org' };
const CHILD = { patronId: 'p-browse-child', barcode: '27100000000002', birthDate: '2019-03-03' };

let site: Awaited<ReturnType<typeof startDemoSite>>;
let gateway: Harness;
let pages: string;
let cdn: string;

beforeAll(async () => {
  site = await startDemoSite();
  gateway = await startGateway({
    patrons: [
      { record: PATRON, pin: '1111' },
      { record: CHILD, pin: '1112' },
    ],
    contracts: { kids: demoSiteContract('kids', site.port, { host: 'www.kids-blocked.example', extraHosts: [], minors: 'block' }), web: demoSiteContract('web', site.port), other: demoSiteContract('other', site.port, { host: 'www.other-vendor.example', extraHosts: [] }) },
    browse: { proxyHost: PROXY_HOST },
  });
  pages = proxiedHost(`pages.browse-demo.example:${site.port}`, gateway.url);
  cdn = proxiedHost(`cdn.browse-demo.example:${site.port}`, gateway.url);
});
afterAll(async () => {
  await gateway.close();
  await site.close();
});

/** The ticket URL of the hand-off to the pages origin (the last hop of the chain), not used yet. */
async function freshTicketFor(cookie: string, host: string): Promise<string> {
  const start = await fetch(`${gateway.url}/browse/web`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
  // Walk the chain's next= links without using any ticket.
  let location = start.headers.get('location') ?? '';
  for (;;) {
    const url = new URL(location);
    if (url.host === host) return `${url.pathname}${url.search}`;
    const next = url.searchParams.get('next');
    if (next === null) throw new Error(`no ticket for ${host}`);
    location = next;
  }
}

describe('/browse/{vendor} on the gateway', () => {
  it('sends a patron who is not signed in to sign in, coming back to /browse/{vendor} afterwards', async () => {
    const response = await fetch(`${gateway.url}/browse/web`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fbrowse%2Fweb');
  });

  it('sends a signed-in patron who has not accepted the notice to the notice first', async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111', { acceptNotices: false });
    const response = await fetch(`${gateway.url}/browse/web`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/notices\/web\?next=%2Fbrowse%2Fweb/);
  });

  it('applies the minors rules as /v/ does: a child is refused a vendor whose contract blocks under-13s, with no ticket issued', async () => {
    const cookie = await gateway.login(CHILD.barcode, '1112');
    const response = await fetch(`${gateway.url}/browse/kids`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
  });

  it("the notice of a browse vendor says its tracking is blocked", async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111', { acceptNotices: false });
    const notice = await (await fetch(`${gateway.url}/notices/web`, { headers: { cookie } })).text();
    expect(notice).toMatch(/<p data-tracking="blocked">[^<]*tracking is blocked\.<\/p>/);
  });

  it('answers 404 for a vendor without a browse section or without a contract (never an open proxy)', async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111');
    expect((await fetch(`${gateway.url}/browse/nobody`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })).status).toBe(404);
  });

  it('hands the session to every origin of the vendor, each setting a host-only HttpOnly cookie of its own, and lands on the vendor page', async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111');
    const entered = await enterVendor(gateway.url, cookie, 'web');
    expect([...entered.cookies.keys()].sort()).toEqual([pages, cdn, proxiedHost(`api.browse-demo.example:${site.port}`, gateway.url)].sort());
    expect(new URL(entered.landing).host).toBe(pages);
    const page = await browseRequest(gateway.url, pages, '/', { cookie: entered.cookies.get(pages) });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Welcome</h1>');
  });
});

describe('tickets and origin cookies are worth one origin, once', () => {
  const table = [
    { name: 'a ticket used twice opens nothing the second time (single use)', host: () => pages, replay: true, advance: 0 },
    { name: 'a ticket for the pages origin shown on the CDN origin opens nothing (bound to its host)', host: () => cdn, replay: false, advance: 0 },
    { name: 'a ticket shown after its seconds have passed opens nothing (expiry, by the gateway clock)', host: () => pages, replay: false, advance: 11_000 },
  ];
  for (const row of table) {
    it(row.name, async () => {
      const cookie = await gateway.login(PATRON.barcode, '1111');
      const ticketPath = await freshTicketFor(cookie, pages);
      if (row.replay) expect((await browseRequest(gateway.url, pages, ticketPath)).status).toBe(303);
      const before = gateway.clock.now;
      gateway.clock.now = new Date(before.getTime() + row.advance);
      try {
        const answer = await browseRequest(gateway.url, row.host(), ticketPath);
        expect(answer.status).toBe(403);
        expect(answer.setCookies).toEqual([]);
        expect(answer.body).not.toContain(PATRON.email);
      } finally {
        gateway.clock.now = before;
      }
    });
  }

  it('a forged ticket (changed expiry) opens nothing', async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111');
    const ticketPath = await freshTicketFor(cookie, pages);
    const forged = ticketPath.replace(/\.(\d+)\./, (_m, expiry: string) => `.${Number(expiry) + 3600}.`);
    expect((await browseRequest(gateway.url, pages, forged)).status).toBe(403);
  });

  it("the pages origin's cookie sent to the CDN origin is no session there: a page load is sent back to the gateway to start again", async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111');
    const entered = await enterVendor(gateway.url, cookie, 'web');
    const stolen = entered.cookies.get(pages) as string;
    const before = site.hits.length;
    const answer = await browseRequest(gateway.url, cdn, '/site.css', { cookie: stolen });
    expect(answer.status).toBe(303);
    expect(String(answer.headers.location)).toBe(`${gateway.url}/browse/web?next=${encodeURIComponent(`http://${cdn}/site.css`)}`);
    const api = await browseRequest(gateway.url, cdn, '/site.css', { cookie: stolen, headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(site.hits.length).toBe(before);
  });

  it("one vendor's origin cookie is nothing on another vendor's origin", async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111');
    const entered = await enterVendor(gateway.url, cookie, 'web');
    const other = proxiedHost(`www.other-vendor.example:${site.port}`, gateway.url);
    const answer = await browseRequest(gateway.url, other, '/', { cookie: entered.cookies.get(pages), headers: { accept: 'application/json' } });
    expect(answer.status).toBe(401);
  });

  it('sign-out on the gateway ends the sessions on every vendor origin at once', async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111');
    const entered = await enterVendor(gateway.url, cookie, 'web');
    expect((await browseRequest(gateway.url, pages, '/', { cookie: entered.cookies.get(pages) })).status).toBe(200);
    const home = await (await fetch(`${gateway.url}/`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(home)?.[1] ?? '';
    const out = await fetch(`${gateway.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }).toString() });
    expect(out.status).toBe(303);
    for (const [host, originCookie] of entered.cookies) {
      expect((await browseRequest(gateway.url, host, '/', { cookie: originCookie, headers: { accept: 'application/json' } })).status).toBe(401);
    }
  });
});

describe('routing by Host', () => {
  const table = [
    { name: 'a label no contract names under the proxy domain is a 404 page', host: () => `www-unknown-example.${PROXY_HOST}:${new URL(gateway.url).port}` },
    { name: 'a label that is not canonical (a run of three hyphens without a port) is a 404 page', host: () => `www---unknown.${PROXY_HOST}:${new URL(gateway.url).port}` },
    { name: 'two labels deep under the proxy domain is a 404 page', host: () => `a.${pages}` },
  ];
  for (const row of table) {
    it(row.name, async () => {
      const answer = await browseRequest(gateway.url, row.host(), '/');
      expect(answer.status).toBe(404);
      expect(answer.body).toContain('Page not found');
    });
  }

  it("the gateway's own pages and /v/ are never served on a vendor origin", async () => {
    const cookie = await gateway.login(PATRON.barcode, '1111');
    const entered = await enterVendor(gateway.url, cookie, 'web');
    const before = site.hits.length;
    const answer = await browseRequest(gateway.url, pages, '/me/sharing', { cookie: `${entered.cookies.get(pages)}; ${cookie}` });
    // Proxied to the vendor (its own 404), never the gateway's sharing page.
    expect(answer.body).not.toContain('sharing');
    expect(site.hits.length).toBe(before + 1);
  });
});
