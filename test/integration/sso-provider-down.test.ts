import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieBrowser } from '../helpers/cookie-browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-oidc-provider.ts';

const SUB = 'down-canary-sub-3310';
const CLIENT = { clientId: 'privacy-gateway', clientSecret: 'provider-down-test-secret-0000000001' };
const CONTRACTS = { 'c-none': testContract('c-none', 'http://127.0.0.1:9', 'identity: { delivery: none }\npreset: anonymous') };

let port: number;
let gateway: Harness;
let provider: ScriptedProvider | undefined;

beforeAll(async () => {
  // The provider's port, with nothing listening on it yet: it is down when the gateway starts.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  gateway = await startGateway({
    patrons: [],
    contracts: CONTRACTS,
    patronSettings: { source: 'oidc', oidc: { name: 'Down Library', issuer: `http://127.0.0.1:${port}`, clientId: CLIENT.clientId, clientSecret: { env: 'SSO_SECRET' }, timeoutMs: 1000 } },
    env: { SSO_SECRET: CLIENT.clientSecret },
  });
});
afterAll(async () => {
  await gateway?.close();
  await provider?.close();
});

describe('the library provider is down', () => {
  it('at startup: the gateway starts anyway and the sign-in page still offers the SSO', async () => {
    const page = await createCookieBrowser().open(`${gateway.url}/login`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sign in with Down Library');
  });

  it('at sign-in: the 503 page "the sign-in service is not answering", with Retry-After, no provider address, and the gateway keeps serving', async () => {
    const browser = createCookieBrowser();
    const page = await browser.open(`${gateway.url}/login/oidc`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('30');
    expect(page.body).toContain('sign-in service is not answering');
    expect(page.body).toContain('sso_unavailable</small>');
    expect(page.body).not.toContain(String(port));
    expect(browser.cookies(gateway.url).has('gw_sso')).toBe(false);
    expect(gateway.logs.join('\n')).toContain('"reason":"provider_unreachable"');
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });

  it('once it is back, the next sign-in discovers it and completes (nothing to restart)', async () => {
    provider = await startScriptedProvider(CLIENT, SUB, { port });
    const page = await createCookieBrowser().open(`${gateway.url}/login/oidc?next=/me/sharing`);
    expect(page.url).toBe(`${gateway.url}/me/sharing`);
    expect(page.status).toBe(200);
  });

  it('going down between the redirect there and the browser coming back: the same 503 page, no session', async () => {
    const browser = createCookieBrowser();
    const toProvider = await browser.open(`${gateway.url}/login/oidc`, { follow: () => false });
    const authorize = await fetch(toProvider.headers.get('location') ?? '', { redirect: 'manual' });
    const callback = new URL(authorize.headers.get('location') ?? '');
    await provider?.close();
    provider = undefined;
    const page = await browser.open(callback.href);
    expect(page.status).toBe(503);
    expect(page.body).toContain('sso_unavailable</small>');
    expect(browser.cookies(gateway.url).has('gw_session')).toBe(false);
  });
});
