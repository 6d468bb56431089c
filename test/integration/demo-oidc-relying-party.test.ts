import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelyingParty } from '../../src/demo/demo-oidc-relying-party.ts';
import type { Harness } from '../helpers/gateway-harness.ts';
import { createTestBrowser, walkSignIn } from '../helpers/oidc-relying-party.ts';
import { CANARY, COURSES_SECRET, coursesContract, OIDC_PATRONS, startOidcGateway } from '../helpers/oidc-gateway.ts';

/**
 * The embedded demo's OpenID Connect vendor (src/demo/demo-oidc-relying-party.ts, openid-client)
 * against the real gateway: "Sign in with the library" goes through the gateway's sign-in and
 * notice, and the page lists every claim the ID token carried, and nothing else.
 */
let gateway: Harness;
let front: Server;
let rpUrl: string;

beforeAll(async () => {
  // The relying party's port must be in the contract before the gateway boots, and the relying
  // party needs the gateway's URL: a front server takes the port first and hands requests over.
  let handOver: Server | undefined;
  front = createServer((req, res) => void handOver?.emit('request', req, res));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  rpUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  gateway = await startOidcGateway({ contracts: { 'courses-oidc': coursesContract().replace('http://127.0.0.1:9/callback', `${rpUrl}/callback`) } });
  handOver = createDemoRelyingParty({ name: 'Demo Courses', issuer: `${gateway.url}/oidc`, clientId: 'courses-client', clientSecret: COURSES_SECRET, redirectUri: `${rpUrl}/callback` });
});
afterAll(async () => {
  front.closeAllConnections();
  await new Promise<void>((resolve) => front.close(() => resolve()));
  await gateway.close();
});

describe('the demo relying party', () => {
  it('signs a demo patron in with the library and shows exactly the claims it received', async () => {
    const home = await fetch(`${rpUrl}/`);
    expect(await home.text()).toContain('Sign in with the library');
    const start = await fetch(`${rpUrl}/login`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    const browser = createTestBrowser(gateway.url);
    const { response } = await walkSignIn(browser, start.headers.get('location') ?? '', { barcode: OIDC_PATRONS[0].record.barcode, pin: OIDC_PATRONS[0].pin }, { consents: ['share-email-with-vendors'] });
    const callback = response.headers.get('location') ?? '';
    expect(callback.startsWith(`${rpUrl}/callback?`)).toBe(true);
    const page = await (await fetch(callback)).text();
    for (const shown of ['given_name', '&#34;Ada&#34;', 'ageBand', '&#34;18-64&#34;', 'postalCode3', 'email', 'sub']) expect(page).toContain(shown);
    for (const canary of Object.values(CANARY)) expect(page).not.toContain(canary);
    // A replayed callback is refused by the relying party itself (its pending sign-in is gone).
    expect((await fetch(callback)).status).toBe(400);
  });

  it('shows a declined sign-in as an error with nothing received', async () => {
    const start = await fetch(`${rpUrl}/login`, { redirect: 'manual' });
    const browser = createTestBrowser(gateway.url);
    const { response } = await walkSignIn(browser, start.headers.get('location') ?? '', { barcode: OIDC_PATRONS[0].record.barcode, pin: OIDC_PATRONS[0].pin }, { decision: 'decline' });
    const page = await (await fetch(response.headers.get('location') ?? '')).text();
    expect(page).toContain('access_denied');
    expect(page).toContain('Nothing about you was received');
  });
});
