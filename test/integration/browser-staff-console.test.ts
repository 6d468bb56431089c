/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot } from '../helpers/browser.ts';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { findAllViolations, measureOverflow, tabUntil } from '../helpers/page-checks.ts';
import { preparePrometheus, type TestPrometheus } from '../helpers/prometheus-server.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { waitUntil } from '../helpers/wait-until.ts';
import { STAFF_CATALOGUES } from '../../src/web/messages/staff-catalogues.ts';
import { REQUEST_OUTCOMES } from '../../src/errors/request-outcomes.ts';
import { DELIVERIES } from '../../src/contracts/contract-schema.ts';
import { TRAFFIC_MEASURES } from '../../src/metering/traffic-summary.ts';

const WIDTHS = [320, 390, 1280] as const;
let upstream: RecordingUpstream;
let prometheus: TestPrometheus;
let gateway: Harness;
let browser: Browser;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  prometheus = await preparePrometheus();
  // 2027-02-10: Demo Streaming closes in 19 days, so the alerts and badges have something to say.
  gateway = await startGateway({
    clock: { now: new Date('2027-02-10T12:00:00Z') },
    patrons: loadDemoPatrons(),
    contracts: { ...loadDemoContracts(upstream.url), 'state-grant-demo': await readFile('vendors/state-grant-demo.yaml', 'utf8') },
    settings: { admin: { staffPatronTypes: ['staff'], prometheus: { url: prometheus.url, timeoutMs: 5000 } } },
  });
  await prometheus.start(new URL(gateway.url).host);
  await waitUntil(async () => (await prometheus.query('up{job="gateway"} == 1')).length === 1, 'prometheus has scraped the gateway', 30_000, 200);
  const ada = await gateway.login('29000000000001', '1111');
  for (let i = 0; i < 3; i++) await fetch(`${gateway.url}/v/ebooks-demo/search?q=29000000000001`, { headers: { cookie: ada } });
  await fetch(`${gateway.url}/v/streaming-demo/watch`, { headers: { cookie: ada } });
  await waitUntil(async () => Number((await prometheus.query('sum(gateway_requests_total)'))[0]?.value[1] ?? 0) === 4, 'prometheus holds the 4 requests', 30_000, 200);
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await prometheus?.close();
  await upstream?.close();
});

async function signInAsGus(width: number, lang?: string): Promise<{ context: BrowserContext; page: Page }> {
  // bypassCSP only so that axe-core can be injected (the pages themselves run no script).
  const context = await browser.newContext({ bypassCSP: true, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${gateway.url}/login?next=%2Fstaff`);
  await page.getByLabel('Library card number').fill('29000000000007');
  await page.getByLabel('PIN').fill('7777');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/staff$/);
  if (lang) {
    await page.goto(`${gateway.url}/language/${lang}?next=%2Fstaff`);
    await page.waitForURL(/\/staff$/);
  }
  return { context, page };
}

/** Fits the width (no horizontal scrolling), has no axe-core violation of any impact; a screenshot is kept. */
async function checkPage(page: Page, name: string): Promise<void> {
  const overflow = await measureOverflow(page);
  expect({ name, ...overflow, culprits: overflow.scrollWidth <= overflow.viewport ? [] : overflow.culprits }).toEqual({ name, scrollWidth: overflow.scrollWidth, viewport: overflow.viewport, culprits: [] });
  expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.viewport);
  await saveScreenshot(page, `staff-console/${name}`);
  expect({ name, violations: await findAllViolations(page) }).toEqual({ name, violations: [] });
}

describe('every staff page in Chromium at 320, 390 and 1280 px', () => {
  it.each(WIDTHS)('at %i px: overview, filtered overview, vendor pages, explain, diff, reports and the HTML grant report fit, and pass axe-core', async (width) => {
    const { context, page } = await signInAsGus(width);
    try {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Staff console');
      expect(await page.locator('[data-alert="closing"]').textContent()).toBe('1 contract expires in 19 days: Demo Streaming.');
      await checkPage(page, `${width}-overview`);
      await page.goto(`${gateway.url}/staff?status=attention&sort=requests&dir=desc&window=7d`);
      await checkPage(page, `${width}-overview-filtered`);
      for (const vendor of ['ebooks-demo', 'research-db-demo', 'streaming-demo', 'state-grant-demo']) {
        await page.goto(`${gateway.url}/staff/vendors/${vendor}`);
        await checkPage(page, `${width}-vendor-${vendor}`);
      }
      await page.goto(`${gateway.url}/staff/explain`);
      await checkPage(page, `${width}-explain`);
      await page.getByLabel('Vendor').selectOption('ebooks-demo');
      await page.getByLabel('Patron card number').fill('29000000000001');
      await page.getByRole('button', { name: 'Explain' }).click();
      await page.waitForSelector('[data-access]');
      await checkPage(page, `${width}-explain-result`);
      await page.goto(`${gateway.url}/staff/diff?vendor=ebooks-demo`);
      await checkPage(page, `${width}-diff`);
      await page.getByLabel('Proposed contract (YAML)').fill((await readFile('vendors/ebooks-demo.yaml', 'utf8')).replace('to: ageBand', 'to: birthYear'));
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.waitForSelector('[data-overall]');
      await checkPage(page, `${width}-diff-result`);
      await page.goto(`${gateway.url}/staff/reports`);
      await checkPage(page, `${width}-reports`);
      const rows = ['patronId,birthDate,postalCode,date', ...Array.from({ length: 30 }, (_, i) => `p${i},201${i % 8}-03-0${1 + (i % 9)},06880,2026-0${7 + (i % 3)}-1${i % 10}`)];
      await page.getByLabel('Participation file').setInputFiles({ name: 'participation.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
      await page.getByRole('button', { name: 'Build the report' }).click();
      await page.waitForSelector('[data-phase="done"]');
      await checkPage(page, `${width}-report-preview`);
      const download = await page.locator('a[href$=".html"]').getAttribute('href');
      const report = await page.request.get(`${gateway.url}${download ?? ''}`);
      expect(report.status()).toBe(200);
      await page.setContent(await report.text());
      await checkPage(page, `${width}-report-html`);
    } finally {
      await context.close();
    }
  }, 120_000);

  it.each(WIDTHS)('at %i px in Spanish: the overview and a vendor page fit and pass axe-core', async (width) => {
    const { context, page } = await signInAsGus(width, 'es');
    try {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Consola del personal');
      await checkPage(page, `${width}-es-overview`);
      await page.goto(`${gateway.url}/staff/vendors/streaming-demo`);
      await checkPage(page, `${width}-es-vendor-streaming-demo`);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the console by keyboard alone', () => {
  it('at 1280 px: Tab to a column heading and Enter sorts; the filter form filters; Enter on a vendor opens its page', async () => {
    const { context, page } = await signInAsGus(1280);
    try {
      expect(await tabUntil(page, (e) => e.attrs['data-sort'] === 'requests')).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/sort=requests/);
      expect(await page.locator('th[aria-sort]').getAttribute('aria-sort')).toBe('descending');
      expect(await page.locator('tbody tr').first().getAttribute('data-vendor')).toBe('ebooks-demo');
      expect(await tabUntil(page, (e) => e.attrs['id'] === 'f-status')).toBe(true);
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('#f-status').inputValue()).toBe('attention');
      expect(await tabUntil(page, (e) => e.tag === 'button' && e.text === 'Show')).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/status=attention/);
      expect(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-vendor')))).toEqual(['streaming-demo']);
      expect(await tabUntil(page, (e) => e.attrs['href'] === '/staff/vendors/streaming-demo')).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/staff\/vendors\/streaming-demo$/);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Demo Streaming: vendor details/);
      await saveScreenshot(page, 'staff-console/1280-keyboard-vendor');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('at 320 px (no column headings): the form sorts and filters, and Enter on a vendor opens its page', async () => {
    const { context, page } = await signInAsGus(320);
    try {
      expect(await tabUntil(page, (e) => e.attrs['id'] === 'f-sort')).toBe(true);
      await page.keyboard.press('End');
      const sort = await page.locator('#f-sort').inputValue();
      expect(sort).toBe('blockedTrackers');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowUp');
      expect(await page.locator('#f-sort').inputValue()).toBe('requests');
      expect(await tabUntil(page, (e) => e.attrs['id'] === 'f-dir')).toBe(true);
      await page.keyboard.press('ArrowDown');
      expect(await tabUntil(page, (e) => e.tag === 'button' && e.text === 'Show')).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/sort=requests&dir=desc/);
      expect(await page.locator('tbody tr').first().getAttribute('data-vendor')).toBe('ebooks-demo');
      expect(await tabUntil(page, (e) => e.attrs['href'] === '/staff/vendors/ebooks-demo')).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/staff\/vendors\/ebooks-demo$/);
      await saveScreenshot(page, 'staff-console/320-keyboard-vendor');
    } finally {
      await context.close();
    }
  }, 60_000);
});

/** Every string leaf of a catalogue, by its dotted path (functions and nested records included as paths). */
function listLeaves(value: unknown, path = ''): Array<[string, unknown]> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).flatMap(([key, inner]) => listLeaves(inner, path === '' ? key : `${path}.${key}`));
  return [[path, value]];
}

/** Codes that must never be a page's primary text: outcomes, deliveries, states, trends, policies, bases. */
const CODES = new Set([
  ...REQUEST_OUTCOMES,
  ...DELIVERIES,
  ...TRAFFIC_MEASURES,
  'proxy', 'reports', 'open', 'closing', 'closed', 'not-yet-open', 'current', 'overdue', 'missing', 'flat', 'gone', 'new', 'up', 'down',
  'block', 'parental-consent', 'anonymous', 'identified', 'blocked', 'neutral', 'since-start', 'not-configured', 'unreachable', 'no-data', 'prometheus', '24h', '7d', '30d', 'attention', 'all',
]);

describe('every string of every staff page in every language', () => {
  it.each(['en', 'es'] as const)('in %s: no untranslated key, no raw code as primary text, and (in Spanish) no English catalogue string', async (lang) => {
    const { context, page } = await signInAsGus(1280, lang);
    const sm = STAFF_CATALOGUES.get(lang);
    const en = STAFF_CATALOGUES.get('en');
    if (!sm || !en) throw new Error('no catalogue');
    const keys = listLeaves(en).map(([path]) => path).filter((path) => path.includes('.'));
    const english = lang === 'en' ? [] : listLeaves(en).filter(([path, text]) => typeof text === 'string' && text.length > 3 && listLeaves(sm).find(([p]) => p === path)?.[1] !== text).map(([, text]) => text as string);
    const texts: Record<string, string[]> = {};
    const visit = async (name: string) => {
      // Primary text: every text node but the secondary ones (codes shown small beside their label, and code samples).
      texts[name] = await page.evaluate(() => {
        const out: string[] = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const parent = node.parentElement;
          if (!parent || parent.closest('small.secondary, code, pre, style, script')) continue;
          const text = (node.textContent ?? '').trim();
          if (text !== '') out.push(text);
        }
        for (const e of Array.from(document.querySelectorAll('[aria-label]'))) out.push(e.getAttribute('aria-label') ?? '');
        out.push(document.title);
        return out;
      });
    };
    try {
      for (const path of ['/staff', '/staff?window=7d&sort=requests&dir=desc', '/staff?status=closed', '/staff/vendors/ebooks-demo', '/staff/vendors/research-db-demo', '/staff/vendors/streaming-demo', '/staff/vendors/state-grant-demo', '/staff/explain', '/staff/diff', '/staff/reports']) {
        await page.goto(`${gateway.url}${path}`);
        await visit(path);
      }
      await page.goto(`${gateway.url}/staff/explain`);
      await page.locator('#vendor').selectOption('streaming-demo');
      await page.locator('#barcode').fill('29000000000004');
      await page.locator('form[action="/staff/explain"] button[type="submit"]').click();
      await page.waitForSelector('[data-access]');
      await visit('explain result');
      await page.goto(`${gateway.url}/staff/diff?vendor=ebooks-demo`);
      await page.locator('#proposed').fill((await readFile('vendors/ebooks-demo.yaml', 'utf8')).replace('to: ageBand', 'to: birthYear'));
      await page.locator('form[action="/staff/diff"] button[type="submit"]').click();
      await page.waitForSelector('[data-overall]');
      await visit('diff result');
      await page.goto(`${gateway.url}/staff/reports`);
      const rows = ['patronId,birthDate,postalCode,date', ...Array.from({ length: 30 }, (_, i) => `p${i},201${i % 8}-03-0${1 + (i % 9)},06880,2026-0${7 + (i % 3)}-1${i % 10}`)];
      await page.locator('#file').setInputFiles({ name: 'participation.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
      await page.locator('form[action="/staff/reports"] button[type="submit"]').click();
      await page.waitForSelector('[data-phase="done"]');
      // The report itself (its table and summary) is written for the grantor; the page around it is the console's.
      await page.evaluate(() => document.querySelectorAll('main table, main pre, main .footnote').forEach((e) => e.remove()));
      await visit('report preview');
    } finally {
      await context.close();
    }
    for (const [name, list] of Object.entries(texts)) {
      const joined = list.join('\n');
      expect({ name, codes: list.filter((t) => CODES.has(t)) }).toEqual({ name, codes: [] });
      expect({ name, broken: list.filter((t) => /undefined|\[object |NaN/.test(t)) }).toEqual({ name, broken: [] });
      expect({ name, keys: keys.filter((key) => joined.includes(key)) }).toEqual({ name, keys: [] });
      expect({ name, english: english.filter((text) => list.includes(text)) }).toEqual({ name, english: [] });
    }
  }, 120_000);
});
