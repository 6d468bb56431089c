import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { browseRequest, demoSiteContract, enterVendor, PROXY_HOST, proxiedHost, startDemoSite } from '../helpers/browse.ts';

/**
 * Rotating the session key (README, "Rotating the session key") while patrons are on vendor
 * origins, over real HTTP. The same listener port is restarted through the three steps, so the
 * vendor origins' host names (which the origin cookies are bound to) stay the same:
 *   before:   secrets.sessionKey = OLD
 *   rotating: secrets.sessionKey = NEW, previousSessionKeys = [OLD]
 *   after:    secrets.sessionKey = NEW (OLD removed)
 * An origin cookie sealed before the rotation still opens while OLD is listed (a rotation does not
 * end every patron's visit at once), and is no session once OLD is removed: the patron is sent back
 * to the gateway to start again and the vendor is not reached.
 */
const OLD = Buffer.alloc(32, 0x31);
const NEW = Buffer.alloc(32, 0x42);
const PATRON = { patronId: 'p-browse-rotate', barcode: '27100000000071', birthDate: '1980-01-01' };

let site: Awaited<ReturnType<typeof startDemoSite>>;
let gateway: Harness | undefined;
let port = 0;
let originCookie = '';
let pages = '';

async function restart(sessionKeys: { current: Buffer; previous?: ReadonlyArray<Buffer> }): Promise<Harness> {
  await gateway?.close();
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '7171' }],
    contracts: { web: demoSiteContract('web', site.port) },
    browse: { proxyHost: PROXY_HOST },
    sessionKeys,
    port,
  });
  port = Number(new URL(gateway.url).port);
  return gateway;
}

beforeAll(async () => {
  site = await startDemoSite();
  const before = await restart({ current: OLD });
  pages = proxiedHost(`pages.browse-demo.example:${site.port}`, before.url);
  const entered = await enterVendor(before.url, await before.login(PATRON.barcode, '7171'), 'web');
  originCookie = entered.cookies.get(pages) ?? '';
  expect(originCookie).not.toBe('');
  expect((await browseRequest(before.url, pages, '/', { cookie: originCookie })).status).toBe(200);
});
afterAll(async () => {
  await gateway?.close();
  await site.close();
});

describe('origin cookies across a session key rotation', () => {
  it('while the old key is listed in previousSessionKeys, a cookie sealed under it still opens the vendor origin', async () => {
    const rotating = await restart({ current: NEW, previous: [OLD] });
    const before = site.hits.length;
    const page = await browseRequest(rotating.url, pages, '/', { cookie: originCookie });
    expect(page.status).toBe(200);
    expect(site.hits.length).toBe(before + 1);
  });

  it('once the old key is removed, the same cookie is no session: sent back to the gateway, the vendor not reached', async () => {
    const after = await restart({ current: NEW });
    const before = site.hits.length;
    const page = await browseRequest(after.url, pages, '/', { cookie: originCookie });
    expect(page.status).toBe(303);
    expect(String(page.headers.location)).toBe(`${after.url}/browse/web?next=${encodeURIComponent(`http://${pages}/`)}`);
    const api = await browseRequest(after.url, pages, '/', { cookie: originCookie, headers: { accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(site.hits.length).toBe(before);
  });
});
