/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousViolations, launchChromium, saveScreenshot } from '../helpers/browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startLibraryProvider, type LibraryProvider } from '../helpers/library-oidc-provider.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const SUB = 'chromium-canary-sub-5150';
const CLAIMS = { given_name: 'Quillonia', family_name: 'Brackenfeld', email: 'qb.canary@canary-mail.example', birthdate: '1990-05-06', library_consents: ['share-email-with-vendors'] };
const SECRET = 'browser-sso-test-client-secret-00001';

let provider: LibraryProvider;
let upstream: RecordingUpstream;
let gateway: Harness;
let browser: Browser;

beforeAll(async () => {
  provider = await startLibraryProvider([{ sub: SUB, claims: CLAIMS }]);
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [],
    contracts: { 'c-jwt': testContract('c-jwt', upstream.url, 'identity: { delivery: jwt }\nfields:\n  patronId: { action: pseudonymize, as: sub }\n  birthDate: { action: generalize, to: ageBand }\n  email: { action: pass, consent: share-email-with-vendors }') },
    patronSettings: {
      source: 'oidc',
      oidc: { name: 'Chromium Library Account', issuer: provider.issuer, clientId: 'privacy-gateway', clientSecret: { env: 'SSO_SECRET' }, scopes: ['openid', 'profile', 'email', 'library'], claims: { firstName: 'given_name', lastName: 'family_name', email: 'email', birthDate: 'birthdate', consents: 'library_consents' } },
    },
    env: { SSO_SECRET: SECRET },
  });
  provider.register({ clientId: 'privacy-gateway', clientSecret: SECRET, redirectUris: [`${gateway.url}/login/oidc/callback`] });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await upstream?.close();
  await provider?.stop();
});

describe('signing in through the library SSO in a real browser', () => {
  it('from a vendor link: the sign-in page (axe-clean), the provider, the notice, and the vendor gets only its view', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    try {
      await page.goto(`${gateway.url}/v/c-jwt/shelf`);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByLabel('PIN').count()).toBe(0);
      await saveScreenshot(page, '30-sso-sign-in');
      expect(await findSeriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Sign in with Chromium Library Account' }).click();

      // The provider's own pages (its development login and consent).
      expect(new URL(page.url()).origin).toBe(provider.issuer);
      await page.locator('input[name="login"]').fill(SUB);
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.locator('button[type="submit"]').click();

      // Back at the gateway, on the way to the vendor: its notice first.
      await page.waitForURL((url) => url.origin === gateway.url && url.pathname === '/notices/c-jwt');
      const cookies = await context.cookies(gateway.url);
      expect(cookies.find((cookie) => cookie.name === 'gw_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
      expect(cookies.some((cookie) => cookie.name === 'gw_sso')).toBe(false);
      await page.getByRole('checkbox', { name: /Also share your email address/ }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${gateway.url}/v/c-jwt/shelf`);

      const received = upstream.requests.at(-1);
      const token = String(received?.headers['authorization'] ?? '').replace(/^Bearer /, '');
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({ ageBand: '18-64', email: CLAIMS.email });
      const rest = `${received?.all.replace(token, '')}${JSON.stringify({ ...claims, email: undefined })}`;
      for (const canary of [SUB, 'Quillonia', 'Brackenfeld', '1990-05-06']) expect(rest).not.toContain(canary);
      for (const canary of [SUB, 'Quillonia', 'Brackenfeld', 'qb.canary']) expect(gateway.logs.join('\n')).not.toContain(canary);
    } finally {
      await context.close();
    }
  });
});
