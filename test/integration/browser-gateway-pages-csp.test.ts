/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoVendorServer } from '../../src/demo/demo-vendor.ts';
import { launchChromium } from '../helpers/browser.ts';
import { DEMO_PINS, loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

/**
 * The gateway's own pages have no scripts, and say so (`script-src 'none'`); with the browser
 * enforcing every policy (no bypassCSP, unlike the accessibility tests), a patron's whole path
 * still works: home, sign in, notice with a consent, the demo vendor (sandboxed, its search form
 * included), /me/sharing and withdrawing, the language switch and the leaving page, without one
 * policy violation.
 */
let vendor: Server;
let gateway: Harness;
let browser: Browser;

beforeAll(async () => {
  vendor = createDemoVendorServer({ name: 'Demo vendor' });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: loadDemoContracts(`http://127.0.0.1:${(vendor.address() as AddressInfo).port}`) });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  vendor?.closeAllConnections();
  vendor?.close();
});

describe('gateway pages under their own strict CSP, in Chromium', () => {
  it('a patron\'s whole path works with every policy enforced, and no page breaks one', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const violations: string[] = [];
    const policies = new Map<string, string>();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    page.on('response', (response) => {
      const request = response.request();
      if (request.resourceType() === 'document' && !new URL(response.url()).pathname.startsWith('/v/')) policies.set(new URL(response.url()).pathname, response.headers()['content-security-policy'] ?? '');
    });
    try {
      await page.goto(`${gateway.url}/`);
      await page.getByRole('link', { name: 'Demo E-books' }).click();
      expect(page.url()).toContain('/login?next=');
      await page.getByLabel('Library card number').fill('29000000000001');
      await page.getByLabel('PIN').fill(DEMO_PINS['29000000000001'] ?? '');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(new URL(page.url()).pathname).toBe('/notices/ebooks-demo');
      await page.getByRole('checkbox', { name: /Also share your email address/ }).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(new URL(page.url()).pathname).toBe('/v/ebooks-demo/');
      expect(await page.locator('body').textContent()).toMatch(/emailada\.demo@example\.org/);
      // The vendor page is sandboxed, and its own search form still works (it posts to its own space).
      await page.getByLabel(/Search the catalogue/).fill('29000000000001');
      await page.getByRole('button', { name: 'Search' }).click();
      expect(new URL(page.url()).pathname).toBe('/v/ebooks-demo/search');
      expect(await page.locator('body').textContent()).toContain('[redacted]');
      await page.goto(`${gateway.url}/me/sharing`);
      const card = page.locator('section[data-vendor="ebooks-demo"]');
      await card.getByRole('button', { name: 'Withdraw my acceptance' }).click();
      expect(new URL(page.url()).pathname).toBe('/me/sharing');
      expect(await page.locator('section[data-vendor="ebooks-demo"]').textContent()).toMatch(/You will see a notice first/);
      await page.getByRole('link', { name: 'Español' }).click();
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      await page.goto(`${gateway.url}/leaving?to=${encodeURIComponent('https://example.org/elsewhere')}`);
      expect(await page.getByRole('link', { name: 'Ir a este sitio de todos modos' }).getAttribute('href')).toBe('https://example.org/elsewhere');
      await page.goto(`${gateway.url}/privacy/vendors`);
      await page.getByRole('button', { name: /Cerrar sesión|Sign out/ }).click();
    } finally {
      await context.close();
    }
    expect(violations).toEqual([]);
    expect([...policies.keys()]).toEqual(expect.arrayContaining(['/', '/login', '/notices/ebooks-demo', '/me/sharing', '/leaving', '/privacy/vendors']));
    for (const [path, policy] of policies) {
      expect(policy, path).toContain("script-src 'none'");
      expect(policy, path).toContain("default-src 'none'");
      expect(policy, path).toContain("frame-ancestors 'none'");
    }
  });
});
