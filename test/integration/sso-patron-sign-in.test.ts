import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieBrowser, readForm, type CookieBrowser } from '../helpers/cookie-browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startLibraryProvider, type LibraryProvider } from '../helpers/library-oidc-provider.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { signInAtProvider } from '../helpers/sso-journey.ts';

/** A patron at the library's provider whose every claim is a canary. */
const SUB = 'canary-sub-77310';
const CLAIMS = {
  given_name: 'Zelphira',
  family_name: 'Quonkwell',
  email: 'zq.canary@canary-mail.example',
  phone_number: '(555) 867-5309',
  birthdate: '1979-03-17',
  address: { street_address: '42 Canaryvale Crescent', locality: 'Canarytown', postal_code: '06880' },
  library_card: 'CANBAR55017',
  patron_type: 'canarytype',
  home_branch: 'canarybranch',
  library_consents: ['share-email-with-vendors'],
  groups: ['canarygroup'],
};
/** Every canary a leak could show, the provider's own subject included. */
const CANARIES = [SUB, 'Zelphira', 'Quonkwell', 'zq.canary', 'canary-mail', '867-5309', '1979-03-17', 'Canaryvale', 'Canarytown', '06880', 'CANBAR55017', 'canarytype', 'canarybranch', 'canarygroup'];
const found = (text: string): string[] => CANARIES.filter((canary) => text.toLowerCase().includes(canary.toLowerCase()));

const CLIENT_SECRET = 'library-sso-test-client-secret-0001';
let provider: LibraryProvider;
let upstream: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  provider = await startLibraryProvider([
    { sub: SUB, claims: CLAIMS },
    // An email claim that is not an email address: left out, its field named in the log.
    { sub: 'odd-email-sub', claims: { ...CLAIMS, email: 'not-an-email-canary' } },
    // Every mapped claim as long as allowed: the sealed record would not fit in a cookie.
    {
      sub: 'huge-record-sub',
      claims: {
        ...Object.fromEntries(['given_name', 'family_name', 'phone_number', 'library_card', 'patron_type', 'home_branch'].map((name) => [name, 'h'.repeat(256)])),
        address: { street_address: 's'.repeat(256), locality: 'l'.repeat(256), postal_code: 'p'.repeat(256) },
        library_consents: Array.from({ length: 20 }, (_, index) => `consent-${index}-${'c'.repeat(50)}`),
      },
    },
  ]);
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [],
    contracts: {
      // Pseudonym, age band, ZIP3 and, with the patron's consent, the email: nothing else.
      'c-jwt': testContract(
        'c-jwt',
        upstream.url,
        `identity: { delivery: jwt }
fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  address.postalCode: { action: generalize, to: postalCode3 }
  email: { action: pass, consent: share-email-with-vendors }
request: { onPatronData: redact }`,
      ),
    },
    patronSettings: {
      source: 'oidc',
      oidc: {
        name: 'Canary Library Account',
        issuer: provider.issuer,
        clientId: 'privacy-gateway',
        clientSecret: { env: 'SSO_CLIENT_SECRET' },
        scopes: ['openid', 'profile', 'email', 'phone', 'address', 'library'],
        claims: {
          firstName: 'given_name',
          lastName: 'family_name',
          email: 'email',
          phone: 'phone_number',
          birthDate: 'birthdate',
          'address.street': 'address.street_address',
          'address.city': 'address.locality',
          'address.postalCode': 'address.postal_code',
          barcode: 'library_card',
          patronType: 'patron_type',
          homeBranch: 'home_branch',
          consents: 'library_consents',
        },
      },
    },
    env: { SSO_CLIENT_SECRET: CLIENT_SECRET },
  });
  provider.register({ clientId: 'privacy-gateway', clientSecret: CLIENT_SECRET, redirectUris: [`${gateway.url}/login/oidc/callback`] });
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
  await provider?.stop();
});

/** Signs in at the provider and accepts the vendor's notice with the consents offered; returns the browser. */
async function signInAndAccept(): Promise<CookieBrowser> {
  const browser = createCookieBrowser();
  const landed = await signInAtProvider(browser, `${gateway.url}/login/oidc?next=/`, SUB);
  expect(landed.url).toBe(`${gateway.url}/`);
  const notice = await browser.open(`${gateway.url}/notices/c-jwt?next=/v/c-jwt/`);
  const { fields } = readForm(notice);
  const accepted = await browser.post(`${gateway.url}/notices/c-jwt`, { csrf: fields['csrf'] ?? '', decision: 'accept', next: '/v/c-jwt/', consent: 'share-email-with-vendors' }, { follow: () => false });
  expect(accepted.status).toBe(303);
  return browser;
}

describe('a patron signs in through the library SSO and uses a vendor', () => {
  it('the sign-in page offers "Sign in with <library>" and no card or PIN form, and card sign-in is not accepted', async () => {
    const browser = createCookieBrowser();
    const page = await browser.open(`${gateway.url}/login`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Sign in with Canary Library Account');
    expect(page.body).toContain('href="/login/oidc?next=%2F"');
    expect(page.body).not.toContain('name="pin"');
    const post = await fetch(`${gateway.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: 'barcode=CANBAR55017&pin=1' });
    expect(post.status).toBe(404);
  });

  it('starting sends the browser to the provider with a code flow, PKCE S256, state and nonce, and a sealed short-lived flow cookie', async () => {
    const start = await fetch(`${gateway.url}/login/oidc?next=/me/sharing`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    const location = new URL(start.headers.get('location') ?? '');
    expect(location.origin).toBe(provider.issuer);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ response_type: 'code', client_id: 'privacy-gateway', code_challenge_method: 'S256', redirect_uri: `${gateway.url}/login/oidc/callback` });
    for (const parameter of ['state', 'nonce', 'code_challenge']) expect(location.searchParams.get(parameter)).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const flowCookie = start.headers.getSetCookie().find((cookie) => cookie.startsWith('gw_sso='));
    expect(flowCookie).toMatch(/Max-Age=600; Path=\/; HttpOnly; SameSite=Lax/);
    // Sealed: neither the verifier nor the state can be read from it.
    expect(flowCookie).not.toContain(location.searchParams.get('state'));
  });

  it('signs in and lands on the page asked for, with a session cookie and the flow cookie spent', async () => {
    const browser = createCookieBrowser();
    const landed = await signInAtProvider(browser, `${gateway.url}/login/oidc?next=/me/sharing`, SUB);
    expect(landed.url).toBe(`${gateway.url}/me/sharing`);
    expect(landed.status).toBe(200);
    const cookies = browser.cookies(gateway.url);
    expect(cookies.get('gw_session')).toBeDefined();
    expect(cookies.has('gw_sso')).toBe(false);
  });

  it('the vendor upstream receives only the contract view (pseudonym, age band, ZIP3, the consented email), the same pseudonym at each sign-in', async () => {
    const subjects: string[] = [];
    for (let signIn = 0; signIn < 2; signIn++) {
      const browser = await signInAndAccept();
      const before = upstream.requests.length;
      const page = await browser.open(`${gateway.url}/v/c-jwt/catalogue`);
      expect(page.status).toBe(200);
      const received = upstream.requests.slice(before);
      expect(received).toHaveLength(1);
      const token = String(received[0]?.headers['authorization'] ?? '').replace(/^Bearer /, '');
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ ageBand: '18-64', postalCode3: '068', email: CLAIMS.email });
      expect(claims.sub).toMatch(/^[a-z2-7]{32}$/);
      subjects.push(String(claims.sub));
      // The email was consented to; nothing else about the patron travels.
      expect(found((received[0]?.all ?? '').replace(token, '') + JSON.stringify({ ...claims, email: undefined }))).toEqual([]);
    }
    expect(subjects[0]).toBe(subjects[1]);
    expect(subjects[0]).not.toContain(SUB);
  });

  it('no canary claim (nor the provider subject) appears in any log line or metric', async () => {
    await signInAndAccept();
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('gateway_');
    expect(found(metrics)).toEqual([]);
    expect(gateway.logs.join('\n')).toContain('"code":"login_ok"');
    expect(found(gateway.logs.join('\n'))).toEqual([]);
  });
});

describe('the sign-in itself', () => {
  it('ends the session the browser already held (a shared computer), and sets the new one for the session lifetime', async () => {
    const browser = createCookieBrowser();
    await signInAtProvider(browser, `${gateway.url}/login/oidc`, SUB);
    const first = browser.cookies(gateway.url).get('gw_session');
    const again = await signInAtProvider(browser, `${gateway.url}/login/oidc?next=/me/sharing`, SUB);
    expect(again.status).toBe(200);
    const second = browser.cookies(gateway.url).get('gw_session');
    expect(second).not.toBe(first);
    const old = await fetch(`${gateway.url}/me/sharing`, { redirect: 'manual', headers: { accept: 'text/html', cookie: `gw_session=${first}` } });
    expect(old.status).toBe(303);
    const callback = browser.history.find((page) => page.url.startsWith(`${gateway.url}/login/oidc/callback`) && page.status === 303 && page !== browser.history[0]);
    expect(callback?.headers.getSetCookie().find((cookie) => cookie.startsWith('gw_session='))).toMatch(/^gw_session=[^;]+; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(callback?.headers.get('clear-site-data')).toBe('"cache", "storage"');
  });

  it('logs the sign-in by kind and request id only', async () => {
    const before = gateway.logs.length;
    await signInAtProvider(createCookieBrowser(), `${gateway.url}/login/oidc`, SUB);
    const line = JSON.parse(gateway.logs.slice(before).find((entry) => entry.includes('"code":"login_ok"')) ?? '{}');
    expect(line).toMatchObject({ msg: 'login', code: 'login_ok', kind: 'sso', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(Object.keys(line).sort()).toEqual(['code', 'kind', 'level', 'msg', 'requestId', 'time']);
  });

  it('leaves out a claim it cannot use, and logs the field name, never the value', async () => {
    const before = gateway.logs.length;
    const browser = createCookieBrowser();
    const landed = await signInAtProvider(browser, `${gateway.url}/login/oidc?next=/me/sharing`, 'odd-email-sub');
    expect(landed.status).toBe(200);
    const logged = gateway.logs.slice(before).join('\n');
    expect(logged).toContain('"reason":"unusable_claims","fields":["email"]');
    expect(logged).not.toContain('not-an-email-canary');
  });

  it('refuses a record too large for a session cookie (sso_failed) rather than cut it', async () => {
    const browser = createCookieBrowser();
    const page = await signInAtProvider(browser, `${gateway.url}/login/oidc`, 'huge-record-sub');
    expect(page.status).toBe(400);
    expect(page.body).toContain('sso_failed</small>');
    expect(browser.cookies(gateway.url).has('gw_session')).toBe(false);
    expect(JSON.parse(gateway.logs.at(-1) ?? '{}')).toMatchObject({ msg: 'single sign-on refused', code: 'sso_failed', reason: 'record_too_large', kind: 'patron', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
});
