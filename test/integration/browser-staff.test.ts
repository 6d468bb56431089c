/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousViolations, launchChromium, saveScreenshot } from '../helpers/browser.ts';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

let upstream: RecordingUpstream;
let gateway: Harness;
let browser: Browser;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts(upstream.url), 'state-grant-demo': await readFile('vendors/state-grant-demo.yaml', 'utf8') } });
  const ada = await gateway.login('29000000000001', '1111');
  for (let i = 0; i < 3; i++) await fetch(`${gateway.url}/v/ebooks-demo/search?q=29000000000001`, { headers: { cookie: ada } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await upstream?.close();
});

describe('the staff console in a real browser', () => {
  it('overview, explain and diff pass axe-core, and a patron gets 403', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    try {
      await page.goto(`${gateway.url}/login?next=%2Fstaff`);
      await page.getByLabel('Library card number').fill('29000000000007');
      await page.getByLabel('PIN').fill('7777');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Staff console');
      await saveScreenshot(page, '11-staff-console');
      expect(await findSeriousViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Explain' }).click();
      await page.getByLabel('Vendor').selectOption('streaming-demo');
      await page.getByLabel('Patron card number').fill('29000000000005');
      await page.getByRole('button', { name: 'Explain' }).click();
      expect(await page.locator('[data-access]').getAttribute('data-access')).toBe('identified');
      await saveScreenshot(page, '12-staff-explain');
      expect(await findSeriousViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Contract diff' }).click();
      await page.getByLabel('Proposed contract (YAML)').fill((await readFile('vendors/ebooks-demo.yaml', 'utf8')).replace('  address.postalCode: { action: generalize, to: postalCode3 }\n', ''));
      await page.getByRole('button', { name: 'Compare' }).click();
      expect(await page.locator('[data-overall]').textContent()).toBe('narrower');
      await saveScreenshot(page, '13-staff-diff');
      expect(await findSeriousViolations(page)).toEqual([]);

      await page.getByRole('link', { name: 'Grant reports' }).click();
      expect(await findSeriousViolations(page)).toEqual([]);
      const rows = ['patronId,birthDate,postalCode,date', ...Array.from({ length: 30 }, (_, i) => `p${i},201${i % 8}-03-0${1 + (i % 9)},06880,2026-0${7 + (i % 3)}-1${i % 10}`)];
      await page.getByLabel('Participation file').setInputFiles({ name: 'participation.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
      await page.getByRole('button', { name: 'Build the report' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Demo State Summer Learning Grant: report preview');
      expect(await page.locator('pre').textContent()).toMatch(/Rows read: 30; used: 30/);
      await saveScreenshot(page, '14-staff-report-preview');
      expect(await findSeriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
    const patron = await browser.newContext();
    const patronPage = await patron.newPage();
    try {
      await patronPage.goto(`${gateway.url}/login?next=%2Fstaff`);
      await patronPage.getByLabel('Library card number').fill('29000000000002');
      await patronPage.getByLabel('PIN').fill('2222');
      const response = await Promise.all([patronPage.waitForResponse((r) => r.url().endsWith('/staff')), patronPage.getByRole('button', { name: 'Sign in' }).click()]);
      expect(response[0].status()).toBe(403);
    } finally {
      await patron.close();
    }
  });
});
