import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { decodeJwt, importJWK } from 'jose';
import type { Harness } from '../helpers/gateway-harness.ts';
import { createTestBrowser, discoverRelyingParty, walkSignIn } from '../helpers/oidc-relying-party.ts';
import { COURSES_CALLBACK, COURSES_CLIENT, COURSES_SECRET, coursesContract, OIDC_PATRONS, startOidcGateway } from '../helpers/oidc-gateway.ts';

/**
 * What the OpenID Connect provider offers, exactly (discovery), its cookies and lifetimes, and a
 * vendor that authenticates with its own keys (private_key_jwt) instead of a secret.
 */
let gateway: Harness;
const vendorKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = { ...(vendorKey.publicKey.export({ format: 'jwk' }) as Record<string, unknown>), alg: 'ES256', kid: 'vendor-1' };
const ada = { barcode: OIDC_PATRONS[0].record.barcode, pin: OIDC_PATRONS[0].pin };

beforeAll(async () => {
  const keysContract = coursesContract({ id: 'keys-oidc', clientId: 'keys-client' }).replace('clientSecret: { env: COURSES_SECRET }', `jwks: { keys: [${JSON.stringify(publicJwk)}] }`);
  gateway = await startOidcGateway({ contracts: { 'courses-oidc': coursesContract(), 'keys-oidc': keysContract } });
});
afterAll(async () => gateway.close());

describe('the provider offers the code flow with PKCE and nothing else', () => {
  it('publishes exactly this discovery document', async () => {
    const issuer = `${gateway.url}/oidc`;
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toEqual({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      authorization_response_iss_parameter_supported: true,
      claim_types_supported: ['normal'],
      claims_parameter_supported: false,
      claims_supported: expect.arrayContaining(['sub', 'given_name', 'email', 'address', 'postalCode3', 'ageBand']),
      code_challenge_methods_supported: ['S256'],
      // refresh_token is oidc-provider's own grant type, always registered; no refresh token is ever issued.
      grant_types_supported: ['authorization_code', 'refresh_token'],
      id_token_signing_alg_values_supported: ['ES256'],
      request_uri_parameter_supported: false,
      response_modes_supported: ['form_post', 'fragment', 'query'],
      response_types_supported: ['code'],
      scopes_supported: ['openid', 'profile', 'email', 'address', 'phone'],
      subject_types_supported: ['pairwise'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'PS256', 'RS256'],
    });
  });

  it.each([
    ['dynamic registration', '/oidc/reg'],
    ['userinfo', '/oidc/me'],
    ['introspection', '/oidc/token/introspection'],
    ['revocation', '/oidc/token/revocation'],
    ['the device flow', '/oidc/device/auth'],
    ['pushed authorization requests', '/oidc/request'],
    ['logout', '/oidc/session/end'],
    ['the development login pages', '/oidc/interaction/x/login'],
  ])('has no %s endpoint', async (_name, path) => {
    for (const method of ['GET', 'POST']) {
      const response = await fetch(`${gateway.url}${path}`, { method, redirect: 'manual' });
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
  });

  it('sets its own cookies under oidc.* names, HttpOnly, SameSite=Lax, scoped to their paths, for the interaction\'s 10 minutes', async () => {
    const started = await (await discoverRelyingParty(`${gateway.url}/oidc`, COURSES_CLIENT, client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK)).start();
    const response = await fetch(started.url, { redirect: 'manual' });
    const cookies = response.headers.getSetCookie();
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['oidc.interaction', 'oidc.interaction.sig', 'oidc.resume', 'oidc.resume.sig']);
    const date = Date.parse(response.headers.get('date') ?? '');
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; path=\/oidc\/(interaction|auth)\/[A-Za-z0-9_-]+;/);
      expect(cookie).toMatch(/; samesite=lax; httponly$/);
      const expires = Date.parse(/expires=([^;]+)/.exec(cookie)?.[1] ?? '');
      expect(Math.round((expires - date) / 1000)).toBeGreaterThanOrEqual(599);
      expect(Math.round((expires - date) / 1000)).toBeLessThanOrEqual(601);
    }
  });

  it('issues ID tokens for 5 minutes and access tokens (which open nothing) for 60 seconds, and no refresh token', async () => {
    const rp = await discoverRelyingParty(`${gateway.url}/oidc`, COURSES_CLIENT, client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK);
    const started = await rp.start({ scope: 'openid profile email' });
    const { response } = await walkSignIn(createTestBrowser(gateway.url), started.url, ada, { consents: ['share-email-with-vendors'] });
    const tokens = await rp.redeem(response.headers.get('location') ?? '', started);
    const claims = decodeJwt(tokens.id_token ?? '');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
    expect(tokens.expires_in).toBe(60);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
  });
});

describe('a vendor with its own keys (private_key_jwt)', () => {
  it('redeems its code with a JWT signed by its key, and gets the same view', async () => {
    const rp = await discoverRelyingParty(`${gateway.url}/oidc`, 'keys-client', client.PrivateKeyJwt({ key: await importJWK({ ...(vendorKey.privateKey.export({ format: 'jwk' }) as Record<string, unknown>) }, 'ES256') as CryptoKey, kid: 'vendor-1' }), COURSES_CALLBACK);
    const started = await rp.start();
    const { response } = await walkSignIn(createTestBrowser(gateway.url), started.url, ada, { consents: ['share-email-with-vendors'] });
    const tokens = await rp.redeem(response.headers.get('location') ?? '', started);
    expect(decodeJwt(tokens.id_token ?? '')).toMatchObject({ aud: 'keys-client', given_name: 'Ada', ageBand: '18-64' });
  });

  it('cannot redeem with a secret instead', async () => {
    const rp = await discoverRelyingParty(`${gateway.url}/oidc`, 'keys-client', client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK);
    const started = await rp.start();
    const { response } = await walkSignIn(createTestBrowser(gateway.url), started.url, ada);
    await expect(rp.redeem(response.headers.get('location') ?? '', started)).rejects.toMatchObject({ status: 401 });
  });

  it('cannot redeem with another key', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rp = await discoverRelyingParty(`${gateway.url}/oidc`, 'keys-client', client.PrivateKeyJwt({ key: await importJWK({ ...(other.privateKey.export({ format: 'jwk' }) as Record<string, unknown>) }, 'ES256') as CryptoKey, kid: 'vendor-1' }), COURSES_CALLBACK);
    const started = await rp.start();
    const { response } = await walkSignIn(createTestBrowser(gateway.url), started.url, ada);
    await expect(rp.redeem(response.headers.get('location') ?? '', started)).rejects.toMatchObject({ status: 401 });
  });
});
