import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRelyingParty } from '../../src/demo/demo-oidc-relying-party.ts';
import { launchChromium, saveScreenshot } from '../helpers/browser.ts';
import type { Harness } from '../helpers/gateway-harness.ts';
import { CANARY, COURSES_SECRET, coursesContract, OIDC_PATRONS, startOidcGateway } from '../helpers/oidc-gateway.ts';

/**
 * "Sign in with the library" in real Chromium: the vendor (the demo relying party, openid-client)
 * on one origin, the gateway on another. The browser keeps oidc-provider's cookies through the
 * gateway's sign-in form (which must not clear them) and the notice, and comes back to the vendor
 * with a code; the vendor's page shows the claims it received.
 */
let gateway: Harness;
let front: Server;
let rpUrl: string;
let browser: Browser;

beforeAll(async () => {
  let handOver: Server | undefined;
  front = createServer((req, res) => void handOver?.emit('request', req, res));
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  // The vendor on "localhost", the gateway on 127.0.0.1: two sites, as in production.
  rpUrl = `http://localhost:${(front.address() as AddressInfo).port}`;
  gateway = await startOidcGateway({ contracts: { 'courses-oidc': coursesContract().replace('http://127.0.0.1:9/callback', `${rpUrl}/callback`) } });
  handOver = createDemoRelyingParty({ name: 'Demo Courses', issuer: `${gateway.url}/oidc`, clientId: 'courses-client', clientSecret: COURSES_SECRET, redirectUri: `${rpUrl}/callback` });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  front.closeAllConnections();
  await new Promise<void>((resolve) => front.close(() => resolve()));
  await gateway.close();
});

describe('sign in with the library, in Chromium', () => {
  it('card and PIN on the gateway, the notice accepted, and the vendor shows the claims it received', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${rpUrl}/`);
      await page.getByRole('link', { name: 'Sign in with the library' }).click();
      await page.getByLabel(/Library card number/).fill(OIDC_PATRONS[0].record.barcode);
      await page.getByLabel('PIN').fill(OIDC_PATRONS[0].pin);
      await page.getByRole('button', { name: /Sign in/ }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/notices/courses-oidc');
      await page.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(`${rpUrl}/callback**`);
      const text = await page.locator('body').innerText();
      await saveScreenshot(page, 'oidc-demo-relying-party');
      expect(text).toContain('given_name');
      expect(text).toContain('"Ada"');
      expect(text).toContain('"18-64"');
      expect(text).toContain('ada.canary@example.org');
      for (const canary of Object.values(CANARY)) expect(text).not.toContain(canary);

      // Signed in and agreed: the next sign-in goes straight back to the vendor.
      await page.goto(`${rpUrl}/login`);
      await page.waitForURL(`${rpUrl}/callback**`);
      expect(await page.locator('body').innerText()).toContain('"Ada"');
    } finally {
      await context.close();
    }
  });

  it('"No thanks" on the notice takes the patron back to the vendor with access_denied', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${rpUrl}/login`);
      await page.getByLabel(/Library card number/).fill(OIDC_PATRONS[0].record.barcode);
      await page.getByLabel('PIN').fill(OIDC_PATRONS[0].pin);
      await page.getByRole('button', { name: /Sign in/ }).click();
      await page.getByRole('button', { name: 'No thanks' }).click();
      await page.waitForURL(`${rpUrl}/callback**`);
      const text = await page.locator('body').innerText();
      expect(text).toContain('access_denied');
      expect(text).not.toContain('given_name');
    } finally {
      await context.close();
    }
  });
});
