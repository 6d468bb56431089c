/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot } from '../helpers/browser.ts';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { BIG_GRANT, bigParticipation } from '../helpers/staff-report-upload.ts';

// README, Grant reports (the staff console): in a real browser, with the gateway's CSP enforced
// (script-src 'none', no bypass), the report page shows its progress as the report runs (only the
// latest line), then the table, without one policy violation.
let gateway: Harness;
let browser: Browser;

beforeAll(async () => {
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'big-grant': BIG_GRANT } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

describe('console report progress in Chromium', () => {
  it('shows the latest progress line while the table is protected, then the preview, with zero CSP violations', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    try {
      await page.goto(`${gateway.url}/login?next=%2Fstaff%2Freports`);
      await page.getByLabel('Library card number').fill('29000000000007');
      await page.getByLabel('PIN').fill('7777');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Grant programme').selectOption('big-grant');
      await page.getByLabel('Participation file').setInputFiles({ name: 'participation.csv', mimeType: 'text/csv', buffer: Buffer.from(bigParticipation(4).text) });
      await page.getByRole('button', { name: 'Build the report' }).click();
      // While the solver works, the page already shows a progress line, and no table yet.
      await page.locator('.report-progress li[data-phase="protecting"]').waitFor({ state: 'attached', timeout: 120_000 });
      const during = await page.evaluate(() => ({
        visible: Array.from(document.querySelectorAll('.report-progress li')).filter((li) => getComputedStyle(li).display !== 'none').map((li) => li.getAttribute('data-phase')),
        tables: document.querySelectorAll('table').length,
      }));
      // Only the latest line is shown (the page is still arriving: a line is hidden once the next
      // one comes), and the table has not come yet (the solver takes seconds on this table).
      expect(during.visible).toHaveLength(1);
      expect(['protecting', 'auditing']).toContain(during.visible[0]);
      expect(during.tables).toBe(0);
      await saveScreenshot(page, '14-staff-report-progress');
      await page.locator('table').first().waitFor({ state: 'attached', timeout: 120_000 });
      await page.locator('footer').waitFor({ state: 'attached' });
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Big Grant: report preview');
      const after = await page.evaluate(() => Array.from(document.querySelectorAll('.report-progress li')).filter((li) => getComputedStyle(li).display !== 'none').map((li) => li.textContent));
      expect(after).toEqual([expect.stringMatching(/^Done: [\d,]+ rows read$/)]);
      expect(await page.getByRole('link', { name: 'CSV' }).getAttribute('href')).toMatch(/^\/staff\/reports\/download\/[A-Za-z0-9_-]{22}\.csv$/);
      expect(await page.content()).not.toContain('CANARY');
      await saveScreenshot(page, '15-staff-report-preview');
    } finally {
      await context.close();
    }
    expect(violations).toEqual([]);
  }, 240_000);
});
