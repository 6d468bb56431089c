import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieBrowser, type BrowserPage, type CookieBrowser } from '../helpers/cookie-browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startLibraryProvider, type LibraryProvider } from '../helpers/library-oidc-provider.ts';
import { startScriptedProvider, type ScriptedProvider } from '../helpers/scripted-oidc-provider.ts';
import { signInAtProvider } from '../helpers/sso-journey.ts';

const SUB = 'refusal-canary-sub-4471';
const SECRET = 'refusal-test-client-secret-000000001';
const CLIENT = { clientId: 'privacy-gateway', clientSecret: SECRET };

let library: LibraryProvider;
let scripted: ScriptedProvider;
/** Signs in at the real library provider. */
let gateway: Harness;
/** Signs in at the scripted, misbehaving provider. */
let tricked: Harness;

/** A gateway needs one contract; this one receives nothing. */
const ANONYMOUS_VENDOR = { 'c-none': testContract('c-none', 'http://127.0.0.1:9', 'identity: { delivery: none }\npreset: anonymous') };

function ssoSettings(issuer: string): Record<string, unknown> {
  return { source: 'oidc', oidc: { name: 'Refusal Library', issuer, clientId: CLIENT.clientId, clientSecret: { env: 'SSO_SECRET' }, claims: { firstName: 'given_name' } } };
}

beforeAll(async () => {
  library = await startLibraryProvider([{ sub: SUB, claims: { given_name: 'Refusalcanary' } }]);
  scripted = await startScriptedProvider(CLIENT, SUB);
  gateway = await startGateway({ patrons: [], contracts: ANONYMOUS_VENDOR, patronSettings: ssoSettings(library.issuer), env: { SSO_SECRET: SECRET } });
  library.register({ ...CLIENT, redirectUris: [`${gateway.url}/login/oidc/callback`] });
  tricked = await startGateway({ patrons: [], contracts: ANONYMOUS_VENDOR, patronSettings: ssoSettings(scripted.issuer), env: { SSO_SECRET: SECRET } });
});
afterAll(async () => {
  await gateway?.close();
  await tricked?.close();
  await library?.stop();
  await scripted?.close();
});

/** A refusal: the catalogue's page with its status, no session, nothing of the provider echoed, no stack trace. */
function expectRefusal(harness: Harness, browser: CookieBrowser, page: BrowserPage, code: string, status: number): void {
  expect(page.url.startsWith(`${harness.url}/login/oidc/callback`) || page.url.startsWith(`${harness.url}/login/oidc`)).toBe(true);
  expect(page.status).toBe(status);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.body).toContain(`${code}</small>`);
  for (const provider of [library.issuer, scripted.issuer]) expect(page.body).not.toContain(new URL(provider).host);
  expect(page.body).not.toMatch(/\bat [\w.<>]+ \(|Error:|aborted interaction|error_description/);
  expect(browser.cookies(harness.url).has('gw_session')).toBe(false);
  expect(browser.cookies(harness.url).has('gw_sso')).toBe(false);
  expect(harness.logs.join('\n')).toContain(`"code":"${code}"`);
}

/** The callback URL the provider sent the browser back to (the journey stopped before it). */
function callbackOf(page: BrowserPage): string {
  const location = page.headers.get('location');
  if (page.status !== 303 && page.status !== 302) throw new Error(`expected the provider's redirect back, got ${page.status}`);
  return new URL(location ?? '', page.url).href;
}

describe('sign-in answers the gateway refuses, each with a clear page', () => {
  it('declining at the provider (access_denied) is a 403 "sign-in was cancelled" page that does not echo the provider\'s description', async () => {
    const browser = createCookieBrowser();
    const page = await signInAtProvider(browser, `${gateway.url}/login/oidc`, SUB, { decline: true });
    expectRefusal(gateway, browser, page, 'sso_denied', 403);
    expect(page.body).toContain('Sign-in was cancelled');
    expect(gateway.logs.at(-1)).toMatch(/"code":"sso_denied".*"kind":"patron".*"reason":"access_denied"/);
  });

  it('a tampered state is refused (sso_failed), and the flow it burnt cannot be finished afterwards either (sso_expired)', async () => {
    const browser = createCookieBrowser();
    const callback = callbackOf(await signInAtProvider(browser, `${gateway.url}/login/oidc`, SUB, { stopBeforeCallback: true }));
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
    expectRefusal(gateway, browser, await browser.open(tampered.href), 'sso_failed', 400);
    expectRefusal(gateway, browser, await browser.open(callback), 'sso_expired', 400);
  });

  it('a replayed callback (same URL, same flow cookie) is refused once the sign-in it belongs to has finished', async () => {
    const browser = createCookieBrowser();
    const callback = callbackOf(await signInAtProvider(browser, `${gateway.url}/login/oidc`, SUB, { stopBeforeCallback: true }));
    const flowCookie = `gw_sso=${browser.cookies(gateway.url).get('gw_sso')}`;
    const first = await fetch(callback, { redirect: 'manual', headers: { cookie: flowCookie, accept: 'text/html' } });
    expect(first.status).toBe(303);
    expect(first.headers.getSetCookie().some((cookie) => cookie.startsWith('gw_session='))).toBe(true);
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: flowCookie, accept: 'text/html' } });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('sso_expired</small>');
    expect(replay.headers.getSetCookie().some((cookie) => cookie.startsWith('gw_session=') && !cookie.startsWith('gw_session=;'))).toBe(false);
  });

  it("someone else's code, finished in another browser with a flow of its own, is refused (state mismatch); without any flow it is sso_expired", async () => {
    const victim = createCookieBrowser();
    const callback = callbackOf(await signInAtProvider(victim, `${gateway.url}/login/oidc`, SUB, { stopBeforeCallback: true }));
    const attacker = createCookieBrowser();
    await attacker.open(`${gateway.url}/login/oidc`, { follow: () => false });
    expect(attacker.cookies(gateway.url).has('gw_sso')).toBe(true);
    expectRefusal(gateway, attacker, await attacker.open(callback), 'sso_failed', 400);
    const stranger = createCookieBrowser();
    expectRefusal(gateway, stranger, await stranger.open(callback), 'sso_expired', 400);
  });

  it('a return after the ten minutes the flow lasts is sso_expired (the gateway clock moved on)', async () => {
    const browser = createCookieBrowser();
    const callback = callbackOf(await signInAtProvider(browser, `${gateway.url}/login/oidc`, SUB, { stopBeforeCallback: true }));
    const started = gateway.clock.now;
    gateway.clock.now = new Date(started.getTime() + 601_000);
    try {
      expectRefusal(gateway, browser, await browser.open(callback), 'sso_expired', 400);
    } finally {
      gateway.clock.now = started;
    }
  });

  const forged: ReadonlyArray<{ name: string; misbehaviour: Parameters<ScriptedProvider['misbehave']>[0]; reason: string }> = [
    { name: 'an ID token whose nonce is not the one this browser was given (a token injected from another sign-in)', misbehaviour: { nonce: 'nonce-from-another-sign-in-0000000000000' }, reason: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' },
    { name: 'an ID token for another client (aud) of the same provider', misbehaviour: { audience: 'some-other-client' }, reason: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' },
    { name: 'an ID token from another issuer, signed with the right key', misbehaviour: { idTokenIssuer: 'http://127.0.0.1:1/other-issuer' }, reason: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' },
    // Refused before the code is redeemed.
    { name: 'a redirect back whose iss parameter names another issuer (mix-up attack)', misbehaviour: { callbackIssuer: 'http://127.0.0.1:1/other-issuer' }, reason: 'OAUTH_INVALID_RESPONSE' },
  ];
  it.each(forged)('refuses $name: sso_failed, no session', async ({ misbehaviour, reason }) => {
    scripted.misbehave(misbehaviour);
    try {
      const browser = createCookieBrowser();
      const tokensBefore = scripted.tokenRequests;
      const page = await browser.open(`${tricked.url}/login/oidc`);
      expectRefusal(tricked, browser, page, 'sso_failed', 400);
      // Refused by the check named, not by something else going wrong on the way.
      expect(tricked.logs.at(-1)).toContain(`"reason":"${reason}"`);
      expect(scripted.tokenRequests - tokensBefore).toBe(reason === 'OAUTH_INVALID_RESPONSE' ? 0 : 1);
    } finally {
      scripted.misbehave({});
    }
  });

  it('the same scripted provider, behaving, signs the patron in (the refusals above are the forgeries, not the setup)', async () => {
    const browser = createCookieBrowser();
    const page = await browser.open(`${tricked.url}/login/oidc?next=/me/sharing`);
    expect(page.url, tricked.logs.slice(-2).join("")).toBe(`${tricked.url}/me/sharing`);
    expect(page.status).toBe(200);
  });

  it('a provider whose token endpoint falls over (502 without an OAuth body) is the 503 "sign-in service is not answering" page', async () => {
    scripted.misbehave({ tokenStatus: 502 });
    try {
      const browser = createCookieBrowser();
      const page = await browser.open(`${tricked.url}/login/oidc`);
      expectRefusal(tricked, browser, page, 'sso_unavailable', 503);
      expect(page.headers.get('retry-after')).toBe('30');
    } finally {
      scripted.misbehave({});
    }
  });

  it('no refusal logged a claim, the subject or a provider URL', () => {
    const logs = [gateway.logs, tricked.logs].flat().join('\n');
    for (const secret of [SUB, 'Refusalcanary', new URL(library.issuer).host, new URL(scripted.issuer).host, SECRET]) expect(logs).not.toContain(secret);
  });
});
