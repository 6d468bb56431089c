import type { CompiledDimension } from '../../contracts/compiled-contract.ts';

/** A declared hierarchy between two dimensions of a report: `fine` lies within `coarse` (by index). */
export interface HierarchyPair {
  readonly fine: number;
  readonly coarse: number;
}

/**
 * Every pair of dimensions declared nested through `within` (a month within its quarter, and
 * through the quarter within its year). Pure.
 */
export function findHierarchyPairs(dimensions: ReadonlyArray<CompiledDimension>): HierarchyPair[] {
  const pairs: HierarchyPair[] = [];
  dimensions.forEach((_, fine) => {
    const seen = new Set<number>([fine]);
    let at = dimensions[fine]?.within;
    while (at !== undefined) {
      const coarse = dimensions.findIndex((d) => d.name === at);
      if (coarse < 0 || seen.has(coarse)) break;
      seen.add(coarse);
      pairs.push({ fine, coarse });
      at = dimensions[coarse]?.within;
    }
  });
  return pairs;
}

/** The coarser period a finer one lies in: 2026-07 is in 2026-Q3 and in 2026; 2026-Q3 is in 2026. */
export function coarsenPeriod(value: string, to: CompiledDimension['generalize']): string {
  if (to === 'year') return value.slice(0, 4);
  if (to === 'quarter' && /^\d{4}-\d{2}$/.test(value)) return `${value.slice(0, 4)}-Q${Math.floor((Number(value.slice(5, 7)) - 1) / 3) + 1}`;
  return value;
}

/**
 * Whether a combination of values (null = summed over) is a cell of a table with declared
 * hierarchies: a finer value with a coarser one it does not lie in (July in Q4) cannot occur,
 * so it is no cell (never a zero that protects anything); a finer value summed over its coarser
 * dimension is the finer figure itself, so it is not published twice. Pure.
 */
export function isHierarchyCell(values: ReadonlyArray<string | null>, dimensions: ReadonlyArray<CompiledDimension>, pairs: ReadonlyArray<HierarchyPair>): boolean {
  for (const { fine, coarse } of pairs) {
    const f = values[fine];
    const c = values[coarse];
    if (f === null || f === undefined) continue;
    if (c === null || c === undefined) return false;
    if (coarsenPeriod(f, dimensions[coarse]?.generalize ?? 'none') !== c) return false;
  }
  return true;
}
