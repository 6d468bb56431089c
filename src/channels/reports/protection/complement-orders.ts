import type { SensitiveForm } from './protection-types.ts';

/** Cells of the table the restarts share between them: fewer starts on larger tables. */
const CELLS_PER_RUN_BUDGET = 1000;

/** Never more starts than this. */
const MAX_STARTS = 16;

/**
 * The orders in which the sequential choice of complements takes the sensitive forms, one per
 * start: largest value first (the usual order), smallest first, the reverse of the table's order,
 * then fixed pseudo-random shuffles (mulberry32 with fixed seeds, so a table always gets the same
 * pattern). The choice is greedy, so its result depends on the order; the cheapest of the starts
 * is kept. Tables of up to 62 cells get 16 starts, larger ones fewer (8 at 125, one from 1,000 cells).
 * Pure.
 */
export function orderForms(forms: ReadonlyArray<SensitiveForm>, cellCount: number): SensitiveForm[][] {
  const starts = Math.max(1, Math.min(MAX_STARTS, Math.floor(CELLS_PER_RUN_BUDGET / Math.max(1, cellCount))));
  const orders: SensitiveForm[][] = [[...forms].sort((a, b) => b.value - a.value), [...forms].sort((a, b) => a.value - b.value), [...forms].reverse()];
  for (let seed = 1; orders.length < starts; seed++) {
    const random = mulberry32(seed);
    orders.push(forms.map((form) => [random(), form] as const).sort((a, b) => a[0] - b[0]).map(([, form]) => form));
  }
  return orders.slice(0, starts);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
