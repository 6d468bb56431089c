/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoVendorServer } from '../../src/demo/demo-vendor.ts';
import { en } from '../../src/web/messages/en.ts';
import { es } from '../../src/web/messages/es.ts';
import { findViolations, launchChromium, SCREENSHOTS } from '../helpers/browser.ts';
import { DEMO_PINS, loadDemoBranding, loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';

/**
 * Every patron page in real Chromium, signed out and signed in as the demo patrons (an adult, a
 * child with a parent's consent, a child without, a patron with no date of birth, Spanish-speaking
 * patrons), at a small phone (320 px), a common phone (390 px) and a desktop (1280 px): no
 * horizontal scrolling (WCAG 1.4.10), no axe-core violation at any impact, no raw code or
 * untranslated text as primary text, the demo library's branding on every page. Screenshots go
 * to test-output/screenshots/patron-pages (git-ignored).
 */

const WIDTHS = [320, 390, 1280] as const;
const SHOTS = `${SCREENSHOTS}/patron-pages`;
const LONG_DESTINATION = `https://www.example.org/${'a-rather-long-path-segment/'.repeat(6)}?q=${'x'.repeat(60)}`;

let vendor: Server;
let gateway: Harness;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  vendor = createDemoVendorServer({ name: 'Demo vendor' });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  const upstream = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`;
  const { branding, labels } = loadDemoBranding();
  gateway = await startGateway({
    patrons: loadDemoPatrons(),
    contracts: {
      ...loadDemoContracts(upstream),
      // A service whose agreement ended: listed, marked closed, not linked.
      'closed-demo': testContract('closed-demo', upstream, 'identity: { delivery: none }').replace('expires: 2027-12-31', 'expires: 2026-10-31').replace(/^name: .*$/m, 'name: Demo Closed Service').replace('reference: T-closed-demo', 'reference: DEMO-2025-07').replace('purpose: Testing', 'purpose: { en: Old e-magazines, es: Revistas electrónicas antiguas }'),
    },
    settings: { branding: branding as never, labels: labels as never },
  });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  vendor?.closeAllConnections();
  vendor?.close();
});

/** A context that may inject axe (bypassCSP: the pages themselves run no script). */
async function openContext(locale = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ bypassCSP: true, locale, viewport: { width: 1280, height: 800 } });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, barcode: string): Promise<void> {
  await page.goto(`${gateway.url}/login?next=%2F`);
  await page.locator('#barcode').fill(barcode);
  await page.locator('#pin').fill(DEMO_PINS[barcode] ?? '');
  await page.locator('form[action="/login"] button[type=submit]').click();
  await page.waitForURL(`${gateway.url}/`);
}

/** Every text node of the page's primary text, space-separated (secondary text in <small> and <code> left out). */
async function readPrimaryText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('small, code, script, style')) continue;
      const text = node.textContent?.trim();
      if (text) parts.push(text);
    }
    return [document.title, ...parts].join(' ');
  });
}

/** Every key path of a message catalogue ("notice.accept"): an untranslated key shown as text. */
function listKeyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return prefix.includes('.') ? [prefix] : [];
  return Object.entries(value).flatMap(([key, inner]) => listKeyPaths(inner, prefix === '' ? key : `${prefix}.${key}`));
}

/** Fragments of one catalogue's text (strings, and functions called with a marker, cut at it) of at least 14 characters. */
function listFragments(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') {
    const out = String((value as (...args: unknown[]) => unknown)('\u0001', '\u0001', '\u0001'));
    return out.split('\u0001');
  }
  if (Array.isArray(value)) return value.flatMap(listFragments);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(listFragments);
  return [];
}

const KEY_PATHS = listKeyPaths(en);
const { branding: DEMO_BRANDING } = loadDemoBranding();
/** Text that is English only: on a Spanish page it would be untranslated (and the other way round). */
const ONLY_IN = {
  en: [...new Set(listFragments(en).map((s) => s.trim()))].filter((s) => s.length >= 14 && !listFragments(es).some((t) => t.includes(s))).concat(['Harbor Point Public Library', 'Borrow e-books and audiobooks', 'Stream films, TV and music', 'Emails when a hold is ready']),
  es: [...new Set(listFragments(es).map((s) => s.trim()))].filter((s) => s.length >= 14 && !listFragments(en).some((t) => t.includes(s))).concat(['Biblioteca Pública de Harbor Point', 'Tomar prestados libros']),
};
/** Raw codes that must never be primary text: ids, booleans, branch, language and type codes after a label, consent and kind names. */
const RAW_CODES = [/\bp-00\d\d\b/, /\b(?:true|false|undefined|null|NaN)\b/, /\[object Object\]/, /:\s*(?:main|saugatuck|en|es|adult|juvenile|senior|staff)\b/, /\bshare-email-with-vendors\b/, /\b(?:econtent|closed-demo|ebooks-demo|streaming-demo|research-db-demo)\b/];

interface Visit {
  readonly who: string;
  readonly barcode?: string;
  readonly locale?: string;
  readonly lang: 'en' | 'es';
  readonly paths: ReadonlyArray<string>;
}

const VISITS: ReadonlyArray<Visit> = [
  { who: 'signed-out', lang: 'en', paths: ['/', '/login?next=%2F', '/privacy/vendors', `/leaving?to=${encodeURIComponent(LONG_DESTINATION)}`, '/no-such-page'] },
  { who: 'signed-out-es', locale: 'es-ES', lang: 'es', paths: ['/', '/login?next=%2F', '/privacy/vendors', `/leaving?to=${encodeURIComponent(LONG_DESTINATION)}`, '/no-such-page'] },
  { who: 'ada-adult', barcode: '29000000000001', lang: 'en', paths: ['/', '/notices/ebooks-demo', '/notices/streaming-demo', '/me/sharing', '/privacy/vendors', '/v/closed-demo/'] },
  { who: 'cleo-child-with-consent', barcode: '29000000000003', lang: 'en', paths: ['/notices/ebooks-demo', '/v/streaming-demo/', '/me/sharing'] },
  { who: 'dev-child-without-consent', barcode: '29000000000004', lang: 'en', paths: ['/v/ebooks-demo/'] },
  { who: 'ivo-no-birth-date', barcode: '29000000000009', lang: 'en', paths: ['/v/ebooks-demo/', '/notices/research-db-demo', '/me/sharing'] },
  { who: 'hana-spanish', barcode: '29000000000008', lang: 'es', paths: ['/', '/notices/ebooks-demo', '/notices/streaming-demo', '/me/sharing', '/privacy/vendors'] },
  { who: 'juno-child-spanish', barcode: '29000000000010', lang: 'es', paths: ['/notices/research-db-demo', '/me/sharing', '/v/ebooks-demo/'] },
];

/** Every check one page at one width must pass; returns what failed, named. */
async function checkPage(page: Page, visit: Visit, path: string, width: number): Promise<string[]> {
  const failures: string[] = [];
  const name = `${visit.who} ${path} @${width}`;
  const scroll = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  if (scroll.document > scroll.viewport) failures.push(`${name}: ${scroll.document} px wide in a ${scroll.viewport} px viewport`);
  const text = await readPrimaryText(page);
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang !== visit.lang) failures.push(`${name}: page language ${lang}, expected ${visit.lang}`);
  const libraryName = visit.lang === 'es' ? 'Biblioteca Pública de Harbor Point' : 'Harbor Point Public Library';
  if (!text.includes(libraryName)) failures.push(`${name}: no library name`);
  if ((await page.locator('header img[src="/branding/logo"]').count()) !== 1) failures.push(`${name}: no logo`);
  for (const pattern of RAW_CODES) {
    const match = pattern.exec(text);
    if (match) failures.push(`${name}: raw code "${match[0]}" in "${text.slice(Math.max(0, match.index - 60), match.index + 30)}"`);
  }
  for (const key of KEY_PATHS) if (text.includes(key)) failures.push(`${name}: message key ${key}`);
  for (const fragment of ONLY_IN[visit.lang === 'en' ? 'es' : 'en']) if (text.includes(fragment)) failures.push(`${name}: untranslated "${fragment}"`);
  for (const violation of await findViolations(page)) failures.push(`${name}: axe ${violation.impact} ${violation.id} (${violation.help}) at ${JSON.stringify(violation.nodes.map((n) => n.target))}`);
  return failures;
}

describe('every patron page, at 320, 390 and 1280 px, in Chromium', () => {
  it.each(VISITS.map((visit) => [visit.who, visit] as const))('%s: fits the width, passes axe, shows the branding and plain words only', async (_who, visit) => {
    const { context, page } = await openContext(visit.locale);
    const failures: string[] = [];
    try {
      if (visit.barcode) await signIn(page, visit.barcode);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width === 1280 ? 800 : 720 });
        for (const path of visit.paths) {
          await page.goto(`${gateway.url}${path}`);
          await page.screenshot({ path: `${SHOTS}/${visit.who}${path.replace(/\?.*$/, '').replace(/[^a-z0-9]+/gi, '-')}-${width}.png`, fullPage: true });
          failures.push(...(await checkPage(page, visit, path, width)));
        }
      }
    } finally {
      await context.close();
    }
    expect(failures).toEqual([]);
  }, 180_000);
});

describe('the notice', () => {
  it.each([
    ['29000000000001', 'ebooks-demo', /^Continue$/],
    ['29000000000002', 'streaming-demo', /^Continue$/],
    ['29000000000008', 'ebooks-demo', /^Continuar$/],
  ])('patron %s, %s: Continue is visible without scrolling on a 1280×800 screen', async (barcode, vendorId, name) => {
    const { context, page } = await openContext();
    try {
      await signIn(page, barcode);
      await page.goto(`${gateway.url}/notices/${vendorId}`);
      const box = await page.getByRole('button', { name }).boundingBox();
      expect(box).not.toBeNull();
      expect((box?.y ?? 9999) + (box?.height ?? 0)).toBeLessThanOrEqual(800);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      // What it will not receive is there, behind a disclosure.
      expect(await page.locator('details > summary').first().textContent()).toMatch(/will not receive|no recibirá/);
      expect(await page.locator('[data-withheld]').count()).toBeGreaterThan(3);
    } finally {
      await context.close();
    }
  });

  it('says what the random ID means and what every browser sends (the proxy forwards Accept-Language and User-Agent as they are)', async () => {
    const { context, page } = await openContext();
    try {
      await signIn(page, '29000000000002');
      await page.goto(`${gateway.url}/notices/ebooks-demo`);
      const text = await page.locator('main').textContent();
      expect(text).toMatch(/recognize you every time you come back/);
      expect(text).toMatch(/languages your browser prefers and the type of browser you use/);
      // A long pseudonym wraps instead of widening the page on the smallest phone.
      await page.setViewportSize({ width: 320, height: 700 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    } finally {
      await context.close();
    }
  });

  it("is written for a child under 13, and offers no optional sharing (it needs a parent), saying why; the server takes none either", async () => {
    const { context, page } = await openContext();
    try {
      await signIn(page, '29000000000003');
      await page.goto(`${gateway.url}/notices/ebooks-demo`);
      const text = await page.locator('main').textContent();
      expect(text).toMatch(/Your parent or guardian said you may use it/);
      expect(text).toMatch(/Sharing anything more needs a parent or guardian/);
      expect(await page.locator('input[type=checkbox]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it("tells a patron without a date of birth so, instead of \"not available to users of your age\"", async () => {
    const { context, page } = await openContext();
    try {
      await signIn(page, '29000000000009');
      await page.goto(`${gateway.url}/v/ebooks-demo/`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('We don’t have your date of birth');
      expect(await page.locator('main').textContent()).not.toMatch(/your age/);
      await page.goto(`${gateway.url}/v/streaming-demo/`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('We don’t have your date of birth');
    } finally {
      await context.close();
    }
  });
});

describe('keyboard only', () => {
  /** Presses Tab until the focused element's text or value matches; fails after `limit` presses. */
  async function tabTo(page: Page, pattern: RegExp, limit = 60): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return `${element?.id ?? ''} ${element?.textContent?.trim() ?? ''}`;
      });
      if (pattern.test(focused)) return;
    }
    throw new Error(`Tab never reached ${String(pattern)}`);
  }

  it('sign in, open a notice from the front page, accept it, then withdraw it on /me/sharing, with a confirmation each time', async () => {
    const { context, page } = await openContext();
    try {
      await page.goto(`${gateway.url}/login?next=%2F`);
      await tabTo(page, /^barcode /);
      await page.keyboard.type('29000000000001');
      await tabTo(page, /^pin /);
      await page.keyboard.type('1111');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${gateway.url}/`);
      await tabTo(page, /Demo E-books/);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/notices\/ebooks-demo/);
      await tabTo(page, /^ Continue$/);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/v\/ebooks-demo\//);
      await page.goto(`${gateway.url}/me/sharing`);
      expect(await page.locator('section[data-vendor="ebooks-demo"] [data-ack]').textContent()).toMatch(/You accepted the notice on November 29, 2026/);
      await tabTo(page, /Withdraw my acceptance/);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/me\/sharing\?done=acknowledgement-withdrawn/);
      expect(await page.getByRole('status').textContent()).toMatch(/you withdrew your acceptance for Demo E-books/);
      const card = await page.locator('section[data-vendor="ebooks-demo"]').textContent();
      expect(card).not.toMatch(/You have not used this service yet/);
      expect(card).toMatch(/You have not accepted this service’s notice/);
      expect(await findViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('withdraw optional sharing, then turn it back on, from /me/sharing', async () => {
    const { context, page } = await openContext();
    try {
      await signIn(page, '29000000000001');
      await page.goto(`${gateway.url}/notices/ebooks-demo`);
      await page.getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.goto(`${gateway.url}/me/sharing`);
      await tabTo(page, /Stop sharing your email address/);
      await page.keyboard.press('Enter');
      await page.waitForURL(/done=consent-withdrawn/);
      expect(await page.getByRole('status').textContent()).toBe('Done: Demo E-books no longer receives your email address.');
      await tabTo(page, /Start sharing your email address/);
      await page.keyboard.press('Enter');
      await page.waitForURL(/done=consent-given/);
      expect(await page.getByRole('status').textContent()).toBe('Done: Demo E-books now receives your email address.');
      expect(await page.locator('section[data-vendor="ebooks-demo"] tr[data-field="email"] td[data-gets]').getAttribute('data-gets')).toBe('ada.demo@example.org');
      await page.setViewportSize({ width: 320, height: 700 });
      await page.locator('section[data-vendor="ebooks-demo"] summary').click();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await page.screenshot({ path: `${SHOTS}/ada-sharing-open-320.png`, fullPage: true });
      expect(await findViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
