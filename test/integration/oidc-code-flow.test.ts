import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { Harness } from '../helpers/gateway-harness.ts';
import { createTestBrowser, discoverRelyingParty, walkSignIn, type TestRelyingParty } from '../helpers/oidc-relying-party.ts';
import { CANARY, COURSES_CALLBACK, COURSES_CLIENT, COURSES_SECRET, coursesContract, OIDC_PATRONS, startOidcGateway } from '../helpers/oidc-gateway.ts';

let gateway: Harness;
let rp: TestRelyingParty;
const ada = { barcode: OIDC_PATRONS[0].record.barcode, pin: OIDC_PATRONS[0].pin };
const dev = { barcode: OIDC_PATRONS[1].record.barcode, pin: OIDC_PATRONS[1].pin };
/** Every token and answer the tests saw, for the canary check at the end. */
const seen: string[] = [];

/** The view Ada agreed to (her email with consent), as ID token claims. */
const ADA_CLAIMS = { given_name: 'Ada', email: 'ada.canary@example.org', ageBand: '18-64', postalCode3: '068', address: { locality: 'Westport' } };

beforeAll(async () => {
  gateway = await startOidcGateway({
    contracts: {
      'courses-oidc': coursesContract(),
      'kids-oidc': coursesContract({ id: 'kids-oidc', clientId: 'kids-client', minors: 'anonymous' }),
      'parents-oidc': coursesContract({ id: 'parents-oidc', clientId: 'parents-client', minors: 'parental-consent' }),
    },
  });
  rp = await discoverRelyingParty(`${gateway.url}/oidc`, COURSES_CLIENT, client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK);
});
afterAll(async () => gateway.close());

/** A full sign-in by Ada: the callback URL with the code, and the checks to redeem it. */
async function signInAda(options: { scope?: string; extra?: Record<string, string>; browser?: ReturnType<typeof createTestBrowser> } = {}) {
  const browser = options.browser ?? createTestBrowser(gateway.url);
  const started = await rp.start({ ...(options.scope ? { scope: options.scope } : {}), ...(options.extra ? { extra: options.extra } : {}) });
  const { response, hops } = await walkSignIn(browser, started.url, ada, { consents: ['share-email-with-vendors'] });
  return { browser, started, response, hops, callback: response.headers.get('location') ?? '' };
}

/** The claims about the patron: the ID token without the provider's own claims. */
function aboutThePatron(idToken: string): Record<string, unknown> {
  const { iss: _iss, aud: _aud, exp: _exp, iat: _iat, nonce: _nonce, ...about } = decodeJwt(idToken) as Record<string, unknown>;
  return about;
}

describe('the authorization code flow, with an independent relying party (openid-client)', () => {
  it('signs a patron in through the real sign-in form and notice; the ID token, verified against the gateway JWKS, carries exactly the vendor view', async () => {
    const { response, hops, callback, started } = await signInAda({ scope: 'openid profile email' });
    expect(response.status).toBe(303);
    expect(callback.startsWith(`${COURSES_CALLBACK}?`)).toBe(true);
    expect(hops.some((hop) => hop.startsWith('/login?next='))).toBe(true);
    expect(hops.some((hop) => hop.startsWith('/notices/courses-oidc?'))).toBe(true);
    const tokens = await rp.redeem(callback, started);
    seen.push(JSON.stringify(tokens));
    const jwks = createRemoteJWKSet(new URL(`${gateway.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token ?? '', jwks, { issuer: `${gateway.url}/oidc`, audience: COURSES_CLIENT });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'test-key-1' });
    expect(Object.keys(payload).sort()).toEqual(['address', 'ageBand', 'aud', 'email', 'exp', 'given_name', 'iat', 'iss', 'nonce', 'postalCode3', 'sub']);
    expect(payload.nonce).toBe(started.nonce);
    expect(aboutThePatron(tokens.id_token ?? '')).toEqual({ sub: expect.stringMatching(/^[a-z2-7]{32}$/), ...ADA_CLAIMS });
    // openid-client's own view of the token agrees.
    expect(tokens.claims()).toMatchObject({ sub: payload.sub, ...ADA_CLAIMS });
  });

  it('gives the same pairwise subject on every sign-in: the vendor\'s pseudonym, never the patron id or card', async () => {
    const first = await signInAda();
    const second = await signInAda();
    const a = aboutThePatron((await rp.redeem(first.callback, first.started)).id_token ?? '');
    const b = aboutThePatron((await rp.redeem(second.callback, second.started)).id_token ?? '');
    expect(a['sub']).toBe(b['sub']);
    expect(a['sub']).not.toContain(CANARY.patronId);
    expect(a['sub']).not.toContain(CANARY.barcode);
  });

  it('checks an already signed-in patron again on every sign-in, without asking for the card or the notice twice', async () => {
    const first = await signInAda();
    await rp.redeem(first.callback, first.started);
    const again = await signInAda({ browser: first.browser });
    expect(again.response.status).toBe(303);
    expect(again.hops.filter((hop) => hop.startsWith('/login') || hop.startsWith('/notices/'))).toEqual([]);
    expect(again.hops.some((hop) => hop.startsWith('/oidc/interaction/'))).toBe(true);
    const tokens = await rp.redeem(again.callback, again.started);
    expect(aboutThePatron(tokens.id_token ?? '')).toMatchObject(ADA_CLAIMS);
  });

  it('publishes a discovery document offering the code flow with S256 PKCE, pairwise subjects and nothing else', async () => {
    const response = await fetch(`${gateway.url}/oidc/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: `${gateway.url}/oidc`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['ES256'],
      claims_parameter_supported: false,
    });
    for (const absent of ['registration_endpoint', 'userinfo_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'device_authorization_endpoint', 'end_session_endpoint', 'pushed_authorization_request_endpoint']) {
      expect(discovery[absent], absent).toBeUndefined();
    }
    // The same public keys as the gateway's own JWKS.
    const providerKeys = (await (await fetch(String(discovery['jwks_uri']))).json()) as { keys: Array<Record<string, unknown>> };
    const gatewayKeys = (await (await fetch(`${gateway.url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(providerKeys.keys.map((k) => [k['kid'], k['x'], k['y']])).toEqual(gatewayKeys.keys.map((k) => [k['kid'], k['x'], k['y']]));
    expect(JSON.stringify(providerKeys)).not.toMatch(/"d"/);
  });
});

describe('the gateway\'s session, notices and minors rules are checked on every sign-in', () => {
  it('after signing out of the gateway, the next sign-in asks for the card again', async () => {
    const first = await signInAda();
    const home = await first.browser.get('/');
    const token = /name="csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '';
    const signOut = await fetch(`${gateway.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: [...first.browser.jar].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: token }).toString() });
    expect(signOut.status).toBe(303);
    const started = await rp.start();
    const response = await first.browser.get(started.url.href);
    const interaction = await first.browser.get(response.headers.get('location') ?? '');
    expect(interaction.status).toBe(303);
    expect(interaction.headers.get('location')).toMatch(/^\/login\?next=%2Foidc%2Finteraction%2F/);
  });

  it('after withdrawing the notice on "what services see about me", the next sign-in shows the notice again', async () => {
    const first = await signInAda();
    await rp.redeem(first.callback, first.started);
    const revoked = await first.browser.submit('/me/sharing', '/me/sharing/revoke', { vendor: 'courses-oidc', what: 'all' });
    expect(revoked.status).toBe(303);
    const again = await signInAda({ browser: first.browser });
    expect(again.hops.some((hop) => hop.startsWith('/notices/courses-oidc?'))).toBe(true);
    expect(again.callback.startsWith(COURSES_CALLBACK)).toBe(true);
  });

  it('a child under a minors rule "anonymous" gets a one-time subject and no claim about them', async () => {
    const kids = await discoverRelyingParty(`${gateway.url}/oidc`, 'kids-client', client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK);
    const browser = createTestBrowser(gateway.url);
    const subjects: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const started = await kids.start();
      const { response } = await walkSignIn(browser, started.url, dev);
      const tokens = await kids.redeem(response.headers.get('location') ?? '', started);
      seen.push(JSON.stringify(tokens));
      const about = aboutThePatron(tokens.id_token ?? '');
      expect(Object.keys(about)).toEqual(['sub']);
      subjects.push(about['sub']);
    }
    expect(subjects[0]).not.toBe(subjects[1]);
  });

  it('a code is redeemable by its own client only', async () => {
    const kids = await discoverRelyingParty(`${gateway.url}/oidc`, 'kids-client', client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK);
    const { callback, started } = await signInAda();
    await expect(kids.redeem(callback, started)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('scopes and the claims parameter never widen the claims', () => {
  it.each([
    ['openid alone still carries the whole view (scopes neither add nor remove)', 'openid', undefined],
    ['a claims request for the last name, phone, birth date and address is ignored', 'openid profile email', { claims: JSON.stringify({ id_token: { family_name: null, phone_number: { essential: true }, birthdate: null, address: null }, userinfo: { email: null } }) }],
    ['an unknown scope is ignored', 'openid profile email offline_access everything', undefined],
  ])('%s', async (_name, scope, extra) => {
    const { callback, started } = await signInAda({ scope, ...(extra ? { extra } : {}) });
    const tokens = await rp.redeem(callback, started);
    seen.push(JSON.stringify(tokens));
    expect(aboutThePatron(tokens.id_token ?? '')).toEqual({ sub: expect.any(String), ...ADA_CLAIMS });
  });

  it('a standard scope the contract does not list is refused with invalid_scope, and no code is issued', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start({ scope: 'openid profile email address phone' });
    const response = await browser.get(started.url.href);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(COURSES_CALLBACK);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('refusals', () => {
  it('an unregistered redirect URI gets the gateway\'s error page, never a redirect, and the page echoes nothing', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start({ redirectUri: 'https://evil.example/steal?x=canary-echo' });
    const response = await browser.get(started.url.href);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).toContain('bad_request');
    for (const echo of ['evil.example', 'canary-echo', COURSES_CLIENT, '127.0.0.1', 'redirect_uri']) expect(page).not.toContain(echo);
  });

  it('an unknown client gets the same error page', async () => {
    const response = await fetch(`${gateway.url}/oidc/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(COURSES_CALLBACK)}`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('nobody');
  });

  it('a wrong client secret cannot redeem a code (invalid_client), and the code is not spent by the attempt', async () => {
    const { callback, started } = await signInAda();
    const wrong = await discoverRelyingParty(`${gateway.url}/oidc`, COURSES_CLIENT, client.ClientSecretBasic(`${COURSES_SECRET}x`), COURSES_CALLBACK);
    await expect(wrong.redeem(callback, started)).rejects.toMatchObject({ status: 401 });
    const raw = await fetch(`${gateway.url}/oidc/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${COURSES_CLIENT}:not-the-secret`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: new URL(callback).searchParams.get('code') ?? '', redirect_uri: COURSES_CALLBACK, code_verifier: started.verifier }).toString(),
    });
    expect(raw.status).toBe(401);
    expect(((await raw.json()) as { error: string }).error).toBe('invalid_client');
    const tokens = await rp.redeem(callback, started);
    expect(aboutThePatron(tokens.id_token ?? '')).toMatchObject(ADA_CLAIMS);
  });

  it('a replayed code is refused (invalid_grant)', async () => {
    const { callback, started } = await signInAda();
    await rp.redeem(callback, started);
    await expect(rp.redeem(callback, started)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a code redeemed with the wrong PKCE verifier is refused (invalid_grant)', async () => {
    const { callback, started } = await signInAda();
    await expect(rp.redeem(callback, { ...started, verifier: client.randomPKCECodeVerifier() })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('an authorization request without PKCE is refused before anyone signs in (invalid_request to the vendor)', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start({ pkce: false });
    const response = await browser.get(started.url.href);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(COURSES_CALLBACK);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('the implicit flow is refused (unsupported_response_type)', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start({ extra: { response_type: 'id_token' } });
    const response = await browser.get(started.url.href);
    const location = new URL(response.headers.get('location') ?? '');
    expect(new URLSearchParams(location.hash.slice(1)).get('error')).toBe('unsupported_response_type');
    expect(location.href).not.toMatch(/[?#&](code|id_token|access_token)=/);
  });

  it('a minor the contract blocks sees the gateway\'s explanation, and the vendor gets nothing', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start();
    const { response, hops } = await walkSignIn(browser, started.url, dev);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Demo Courses');
    expect(hops.some((hop) => hop.startsWith(COURSES_CALLBACK))).toBe(false);
    expect(hops.some((hop) => hop.startsWith('/notices/'))).toBe(false);
  });

  it('a child without a parent\'s consent sees the gateway\'s page saying what a parent can do, and the vendor gets nothing', async () => {
    const parents = await discoverRelyingParty(`${gateway.url}/oidc`, 'parents-client', client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK);
    const started = await parents.start();
    const { response, hops } = await walkSignIn(createTestBrowser(gateway.url), started.url, dev);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('parent');
    expect(hops.some((hop) => hop.startsWith(COURSES_CALLBACK))).toBe(false);
  });

  it('a closed contract (past its expiry) gets the vendor_closed page and no code', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start();
    const saved = gateway.clock.now;
    gateway.clock.now = new Date('2028-01-02T12:00:00Z');
    try {
      const { response, hops } = await walkSignIn(browser, started.url, ada);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('Demo Courses');
      expect(hops.some((hop) => hop.startsWith(COURSES_CALLBACK))).toBe(false);
    } finally {
      gateway.clock.now = saved;
    }
  });

  it('an interaction opened under another uid than its cookie\'s is refused', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start();
    await browser.get(started.url.href);
    const response = await browser.get('/oidc/interaction/not-this-one');
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('not-this-one');
  });

  it('declining the notice sends access_denied to the vendor, with no code and nothing about the patron', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start();
    const { response } = await walkSignIn(browser, started.url, ada, { decision: 'decline' });
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(COURSES_CALLBACK);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: 'access_denied', error_description: 'the sign-in was not completed', state: started.state, iss: `${gateway.url}/oidc` });
  });

  it('an interaction page opened without its cookie (another browser) is refused', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start();
    const first = await browser.get(started.url.href);
    const other = createTestBrowser(gateway.url);
    const response = await other.get(first.headers.get('location') ?? '');
    expect(response.status).toBe(400);
  });
});

describe('the public register and "what services see about me" describe the sign-in token', () => {
  it('the register names each released value\'s ID token claim', async () => {
    const json = (await (await fetch(`${gateway.url}/privacy/vendors.json`)).json()) as { vendors: Array<{ id: string; delivery: string; receives: Array<{ field: string; claim?: string }> }> };
    const courses = json.vendors.find((v) => v.id === 'courses-oidc');
    expect(courses?.delivery).toBe('oidc');
    expect(courses?.receives.map((r) => [r.field, r.claim])).toEqual([
      ['patronId', 'sub'],
      ['firstName', 'given_name'],
      ['email', 'email'],
      ['address.city', 'address.locality'],
      ['address.postalCode', 'postalCode3'],
      ['birthDate', 'ageBand'],
    ]);
    const page = await (await fetch(`${gateway.url}/privacy/vendors`)).text();
    expect(page).toContain('data-claim="given_name"');
    expect(page).toContain('signed sign-in token');
  });

  it('the patron\'s sharing page says the service signs them in with the library', async () => {
    const { browser } = await signInAda();
    const page = await (await browser.get('/me/sharing')).text();
    expect(page).toMatch(/<p data-delivery="oidc">You sign in to Demo Courses with the library/);
  });
});

describe('nothing beyond the view leaves', () => {
  it('no canary value appears in any token, log line or metric', async () => {
    const { callback, started } = await signInAda({ scope: 'openid profile email' });
    seen.push(JSON.stringify(await rp.redeem(callback, started)));
    const metrics = await gateway.app.metrics.registry.metrics();
    expect(metrics).toMatch(/gateway_requests_total\{vendor="courses-oidc",outcome="proxied",channel="oidc"\} \d+/);
    expect(metrics).toMatch(/gateway_field_releases_total\{vendor="courses-oidc",field="email",action="passed",channel="oidc"\} \d+/);
    // Every outcome the tests above went through, counted on the oidc channel.
    for (const [vendor, outcome] of [['courses-oidc', 'unauthenticated'], ['courses-oidc', 'notice_required'], ['courses-oidc', 'blocked_minor'], ['parents-oidc', 'blocked_minor'], ['courses-oidc', 'declined'], ['courses-oidc', 'vendor_closed'], ['courses-oidc', 'bad_request'], ['_unknown', 'bad_request']]) {
      expect(metrics, `${vendor} ${outcome}`).toMatch(new RegExp(`gateway_requests_total\\{vendor="${vendor}",outcome="${outcome}",channel="oidc"\\} \\d+`));
    }
    // Releases are counted when an ID token is issued, never for a refusal (a contract vendor's series are published from 0).
    expect(metrics).toMatch(/gateway_field_releases_total\{vendor="parents-oidc"[^}]*\} 0/);
    expect(metrics).not.toMatch(/gateway_field_releases_total\{vendor="parents-oidc"[^}]*\} [1-9]/);
    const everything = [...seen, gateway.logs.join('\n'), metrics].join('\n');
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (const value of Object.values(CANARY)) expect(everything, value).not.toContain(value);
    expect(gateway.logs.join('\n')).not.toContain('ada.canary@example.org');
    expect(metrics).not.toContain('Westport');
  });
});

describe('two sign-ins in one browser', () => {
  it('a code stays redeemable after the same browser starts the next sign-in (each sign-in has its own provider session)', async () => {
    const first = await signInAda();
    const second = await signInAda({ browser: first.browser });
    const a = aboutThePatron((await rp.redeem(first.callback, first.started)).id_token ?? '');
    const b = aboutThePatron((await rp.redeem(second.callback, second.started)).id_token ?? '');
    expect(a).toEqual(b);
  });

  it('the token endpoint refuses a cross-origin browser call, even with the right secret and code', async () => {
    const { callback, started } = await signInAda();
    const response = await fetch(`${gateway.url}/oidc/token`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', authorization: `Basic ${Buffer.from(`${COURSES_CLIENT}:${COURSES_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: new URL(callback).searchParams.get('code') ?? '', redirect_uri: COURSES_CALLBACK, code_verifier: started.verifier }).toString(),
    });
    const body = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(body).not.toContain('id_token');
  });
});
