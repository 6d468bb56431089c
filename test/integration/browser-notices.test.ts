/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoVendorServer } from '../../src/demo/demo-vendor.ts';
import { findSeriousViolations, launchChromium, saveScreenshot } from '../helpers/browser.ts';
import { DEMO_PINS, loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

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

async function newPage(options: { locale?: string; mobile?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, locale: options.locale ?? 'en-US', viewport: options.mobile ? { width: 390, height: 844 } : { width: 1024, height: 768 } });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, barcode: string): Promise<void> {
  await page.getByLabel(/Library card number|Número de tarjeta/).fill(barcode);
  await page.getByLabel('PIN').fill(DEMO_PINS[barcode] ?? '');
  await page.getByRole('button', { name: /Sign in|Iniciar sesión/ }).click();
}

async function expectAccessible(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  expect(await findSeriousViolations(page), `axe on ${name}`).toEqual([]);
}

describe('in a real browser (Chromium)', () => {
  it('login -> vendor -> notice -> consent ticked -> accept -> the vendor shows the email -> /me/sharing -> revoke -> notice again', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${gateway.url}/`);
      await expectAccessible(page, '01-home');
      await page.getByRole('link', { name: 'Demo E-books' }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeTruthy();
      expect(page.url()).toContain('/login?next=');
      await expectAccessible(page, '02-login');
      await signIn(page, '29000000000001');
      expect(new URL(page.url()).pathname).toBe('/notices/ebooks-demo');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Before you use Demo E-books');
      const notice = await page.locator('main').textContent();
      expect(notice).toMatch(/your age group: 18-64/);
      expect(notice).toMatch(/the first three digits of your ZIP code: 068/);
      expect(notice).toMatch(/a random ID used only with this service: [a-z2-7]{32}/);
      await expectAccessible(page, '03-notice');
      const consent = page.getByRole('checkbox', { name: /Also share your email address/ });
      expect(await consent.isChecked()).toBe(false);
      await consent.check();
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(new URL(page.url()).pathname).toBe('/v/ebooks-demo/');
      const vendorText = await page.locator('body').textContent();
      expect(vendorText).toMatch(/emailada\.demo@example\.org/);
      expect(vendorText).toMatch(/ageBand18-64/);
      await saveScreenshot(page, '04-vendor-page');
      await page.goto(`${gateway.url}/me/sharing`);
      await expectAccessible(page, '05-sharing');
      const card = page.locator('section[data-vendor="ebooks-demo"]');
      expect(await card.textContent()).toMatch(/You accepted the notice on/);
      await card.getByRole('button', { name: 'Withdraw my acceptance' }).click();
      expect(new URL(page.url()).pathname).toBe('/me/sharing');
      expect(await page.locator('section[data-vendor="ebooks-demo"]').textContent()).toMatch(/You will see a notice first/);
      await page.goto(`${gateway.url}/v/ebooks-demo/`);
      expect(new URL(page.url()).pathname).toBe('/notices/ebooks-demo');
    } finally {
      await context.close();
    }
  });

  it('decline: nothing is sent and the patron goes back', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${gateway.url}/login`);
      await signIn(page, '29000000000002');
      await page.goto(`${gateway.url}/v/streaming-demo/`);
      expect(new URL(page.url()).pathname).toBe('/notices/streaming-demo');
      await page.getByRole('button', { name: 'No thanks' }).click();
      expect(new URL(page.url()).pathname).toBe('/');
      await page.goto(`${gateway.url}/v/streaming-demo/`);
      expect(new URL(page.url()).pathname).toBe('/notices/streaming-demo');
    } finally {
      await context.close();
    }
  });

  it('works with the keyboard alone: tick the consent and continue', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${gateway.url}/login?next=%2Fv%2Febooks-demo%2F`);
      await signIn(page, '29000000000002');
      for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.getAttribute('name'))) !== 'consent'; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('consent');
      await page.keyboard.press('Space');
      for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Continue'; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Continue');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/v\/ebooks-demo\//);
      expect(await page.locator('body').textContent()).toMatch(/emailben\.sample@example\.org/);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['29000000000004', 'ebooks-demo', /A parent or guardian needs to agree first/, '06-minor-needs-consent'],
    ['29000000000003', 'streaming-demo', /This service is not available to you/, '07-minor-blocked'],
  ])('minors: patron %s on %s sees why, and nothing is sent', async (barcode, id, heading, shot) => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${gateway.url}/login?next=${encodeURIComponent(`/v/${id}/`)}`);
      await signIn(page, barcode);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(heading);
      await expectAccessible(page, shot);
    } finally {
      await context.close();
    }
  });

  it('minors: an 8-year-old reaches the anonymous vendor with nothing about them', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${gateway.url}/login?next=${encodeURIComponent('/v/research-db-demo/')}`);
      await signIn(page, '29000000000010');
      expect(await page.locator('[data-receives="nothing"]').textContent()).toMatch(/nada sobre usted/); // Juno's record prefers Spanish
      await page.getByRole('button', { name: /Continuar|Continue/ }).click();
      expect(await page.locator('body').textContent()).toMatch(/The assertion about younothing/);
    } finally {
      await context.close();
    }
  });

  it('the register, an error page and a Spanish notice on a phone pass axe too', async () => {
    const { context, page } = await newPage({ locale: 'es-ES', mobile: true });
    try {
      await page.goto(`${gateway.url}/privacy/vendors`);
      await expectAccessible(page, '08-register-es-mobile');
      await page.goto(`${gateway.url}/login?next=%2Fv%2Febooks-demo%2F`);
      await signIn(page, '29000000000008');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Antes de usar Demo E-books');
      await expectAccessible(page, '09-notice-es-mobile');
      await page.goto(`${gateway.url}/v/no-such-vendor/`);
      await expectAccessible(page, '10-error-es-mobile');
    } finally {
      await context.close();
    }
  });
});
