import { findExposedCells } from './find-exposed-cells.ts';
import type { ReportTable } from './report-table.ts';

/** How many candidate cells are tried (each with an audit) per round of complementary suppression. */
const MAX_CANDIDATES_PER_ROUND = 48;

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
 *    figures (see findExposedCells), suppress one more cell in an equation that exposes it (or,
 *    when its own equations are all suppressed already, in any equation that has an unknown):
 *    the one that leaves the fewest cells exposed, then detailed cells before totals, non-zero
 *    before zero, and the fewest people.
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
    let best: number | undefined;
    let bestScore: [number, number, number, number] | undefined;
    // The one that leaves the fewest cells exposed; then detailed cells before totals (a published
    // total is worth more to the grantor), non-zero before zero, and the smallest.
    const consider = (candidate: number): void => {
      if (suppressed.has(candidate)) return;
      suppressed.add(candidate);
      const remaining = findExposedCells(table.sums, suppressed).length;
      suppressed.delete(candidate);
      const [zero, level, size] = rank(candidate);
      const score: [number, number, number, number] = [remaining, level, zero, size];
      if (bestScore === undefined || compareScores(score, bestScore) < 0) {
        best = candidate;
        bestScore = score;
      }
    };
    function rank(i: number): [number, number, number] {
      const cell = cells[i];
      if (!cell) return [9, 9, 9];
      return [cell.participants + cell.attendances === 0 ? 1 : 0, cell.level, cell.participants * 1e9 + cell.attendances];
    }
    // Candidates: the published figures in the equations of every exposed cell, best-ranked first
    // (bounded, so a large table costs a bounded number of audits per round).
    const candidates = new Set<number>();
    for (const cell of exposed) for (const total of equationsOf.get(cell) ?? []) for (const member of [total, ...(table.sums.get(total) ?? [])]) if (!suppressed.has(member)) candidates.add(member);
    [...candidates].sort((a, b) => compareScores(rank(a), rank(b))).slice(0, MAX_CANDIDATES_PER_ROUND).forEach(consider);
    if (best === undefined) {
      // Every figure in the cell's own equations is already suppressed: it is pinned by a chain
      // through other equations. Widen the search to every equation that still has an unknown.
      for (const [total, parts] of table.sums) {
        const members = [total, ...parts];
        if (!members.some((m) => suppressed.has(m))) continue;
        for (const candidate of members) consider(candidate);
      }
    }
    if (best === undefined) break; // everything is suppressed: nothing can be exposed
    suppressed.add(best);
    const cell = cells[best];
    if (cell) cell.suppressed = 'complementary';
  }
  return { primary, complementary: suppressed.size - primary };
}

function compareScores(a: ReadonlyArray<number>, b: ReadonlyArray<number>): number {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
