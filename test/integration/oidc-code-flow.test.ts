import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Harness } from '../helpers/gateway-harness.ts';
import { createTestBrowser, discoverRelyingParty, walkSignIn, type TestRelyingParty } from '../helpers/oidc-relying-party.ts';
import { CANARY, COURSES_CALLBACK, COURSES_CLIENT, COURSES_SECRET, OIDC_PATRONS, startOidcGateway } from '../helpers/oidc-gateway.ts';

let gateway: Harness;
let rp: TestRelyingParty;
const ada = { barcode: OIDC_PATRONS[0].record.barcode, pin: OIDC_PATRONS[0].pin };

beforeAll(async () => {
  gateway = await startOidcGateway();
  rp = await discoverRelyingParty(`${gateway.url}/oidc`, COURSES_CLIENT, client.ClientSecretBasic(COURSES_SECRET), COURSES_CALLBACK);
});
afterAll(async () => gateway.close());

describe('the authorization code flow, with an independent relying party (openid-client)', () => {
  it('signs a patron in through the real sign-in form and notice, and the ID token carries exactly the vendor view', async () => {
    const browser = createTestBrowser(gateway.url);
    const started = await rp.start({ scope: 'openid profile email' });
    const { response, hops } = await walkSignIn(browser, started.url, ada, { consents: ['share-email-with-vendors'] });
    if (response.status !== 303) console.log(hops, [...browser.jar.keys()], [...browser.jar.values()].map((v) => v.length));
    expect(response.status).toBe(303);
    const callback = response.headers.get('location') ?? '';
    expect(callback.startsWith(COURSES_CALLBACK)).toBe(true);
    expect(hops.some((hop) => hop.startsWith('/login?next='))).toBe(true);
    expect(hops.some((hop) => hop.startsWith('/notices/courses-oidc?'))).toBe(true);
    const tokens = await rp.redeem(callback, started);
    const jwks = createRemoteJWKSet(new URL(`${gateway.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token ?? '', jwks, { issuer: `${gateway.url}/oidc`, audience: COURSES_CLIENT });
    expect(protectedHeader.alg).toBe('ES256');
    const { iss, aud, exp, iat, nonce, auth_time, at_hash, ...about } = payload as Record<string, unknown>;
    expect({ iss, aud, nonce }).toEqual({ iss: `${gateway.url}/oidc`, aud: COURSES_CLIENT, nonce: started.nonce });
    expect(typeof exp).toBe('number');
    expect(typeof iat).toBe('number');
    void auth_time;
    void at_hash;
    expect(about).toEqual({
      sub: expect.stringMatching(/^[a-z2-7]{32}$/),
      given_name: 'Ada',
      email: 'ada.canary@example.org',
      ageBand: '18-64',
      postalCode3: '068',
      address: { locality: 'Westport' },
    });
    console.log(JSON.stringify(payload));
  });
});
