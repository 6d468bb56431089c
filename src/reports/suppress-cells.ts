import { findExposedCells } from './find-exposed-cells.ts';
import type { ReportTable } from './report-table.ts';

export interface SuppressionResult {
  readonly primary: number;
  readonly complementary: number;
}

/**
 * Disclosure control, in place on the table's cells:
 *
 * 1. Primary: every cell or total whose people (or attendances) number from 1 to k-1 is
 *    suppressed. A true zero stays zero: zeros are published.
 * 2. Complementary: while some suppressed cell can be worked out exactly from the published
 *    figures (see findExposedCells), suppress one more cell in an equation that exposes it: the
 *    published cell there with the fewest people, detailed cells before totals, non-zero before zero
 *    (and when its own equations are all suppressed already, in any equation that has an unknown).
 *
 * Terminates: each round suppresses at least one more cell, and a table with everything
 * suppressed exposes nothing.
 */
export function suppressCells(table: ReportTable, minCellSize: number): SuppressionResult {
  const cells = table.cells;
  const suppressed = new Set<number>();
  cells.forEach((cell, i) => {
    const small = (n: number): boolean => n > 0 && n < minCellSize;
    if (small(cell.participants) || small(cell.attendances)) {
      cell.suppressed = 'primary';
      suppressed.add(i);
    }
  });
  const primary = suppressed.size;
  // For each cell, the equations (totals) it takes part in.
  const equationsOf = new Map<number, number[]>();
  for (const [total, parts] of table.sums) {
    for (const cell of [total, ...parts]) {
      let list = equationsOf.get(cell);
      if (!list) equationsOf.set(cell, (list = []));
      list.push(total);
    }
  }
  for (let round = 0; round < cells.length; round++) {
    const exposed = findExposedCells(table.sums, suppressed);
    if (exposed.length === 0) break;
    const target = exposed[0] as number;
    let best: number | undefined;
    const rank = (i: number): [number, number, number] => {
      const cell = cells[i];
      if (!cell) return [9, 9, 9];
      return [cell.participants + cell.attendances === 0 ? 1 : 0, cell.level, cell.participants * 1e9 + cell.attendances];
    };
    for (const total of equationsOf.get(target) ?? []) {
      for (const candidate of [total, ...(table.sums.get(total) ?? [])]) {
        if (suppressed.has(candidate)) continue;
        if (best === undefined || compare(rank(candidate), rank(best)) < 0) best = candidate;
      }
    }
    if (best === undefined) {
      // Every figure in the cell's own equations is already suppressed: it is pinned by a chain
      // through other equations. Widen the search to every equation that still has an unknown.
      for (const [total, parts] of table.sums) {
        const members = [total, ...parts];
        if (!members.some((m) => suppressed.has(m))) continue;
        for (const candidate of members) {
          if (suppressed.has(candidate)) continue;
          if (best === undefined || compare(rank(candidate), rank(best)) < 0) best = candidate;
        }
      }
    }
    if (best === undefined) break; // everything is suppressed: nothing can be exposed
    suppressed.add(best);
    const cell = cells[best];
    if (cell) cell.suppressed = 'complementary';
  }
  return { primary, complementary: suppressed.size - primary };
}

function compare(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
