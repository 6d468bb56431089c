/// <reference lib="dom" />
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { AxeViolation } from './browser.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page and returns every violation, whatever its impact (minor and moderate included). */
export async function findAllViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

/** The document's width against the viewport's (WCAG 1.4.10: no horizontal scrolling), and the widest elements when it overflows. */
export async function measureOverflow(page: Page): Promise<{ scrollWidth: number; viewport: number; culprits: string[] }> {
  return page.evaluate(() => {
    const viewport = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits = scrollWidth <= viewport ? [] : Array.from(document.querySelectorAll("body *")).filter((e) => e.getBoundingClientRect().right > viewport + 0.5).slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    return { scrollWidth, viewport, culprits };
  });
}

/** Presses Tab until `matches` holds for the focused element (at most `max` times); false when it never does. */
export async function tabUntil(page: Page, matches: (element: { tag: string; text: string; attrs: Record<string, string> }) => boolean, max = 120): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e) return { tag: '', text: '', attrs: {} };
      return { tag: e.tagName.toLowerCase(), text: (e.textContent ?? '').trim(), attrs: Object.fromEntries(Array.from(e.attributes).map((a) => [a.name, a.value])) };
    });
    if (matches(focused)) return true;
  }
  return false;
}
