import type { ProtectionTable } from '../../src/channels/reports/protection/index.ts';
import { buildTestTable, randomVisits, seededRandom } from './report-tables.ts';

/** The shapes of the small random tables (20 to 48 cells with margins), by seed modulo 5. */
const SHAPES = [[3, 4], [4, 5], [2, 2, 2], [2, 2, 3], [2, 3, 3]];

/**
 * The random tables of the benchmark's small-seed sweep (BENCH_SMALL_SEEDS) and of
 * prune-complements.test.ts: a 2-D or 3-D shape by seed, 3 to 11 people per detailed cell.
 */
export function randomSmallTable(seed: number): ProtectionTable {
  const sizes = SHAPES[seed % SHAPES.length] as number[];
  const random = seededRandom(seed);
  const people = Math.round(sizes.reduce((a, b) => a * b, 1) * (3 + random() * 8));
  return buildTestTable(sizes, randomVisits(sizes, people, random));
}

/** Cells with 1..k-1 in either measure (primary suppressions). */
export function findSmallCells(table: ProtectionTable, k: number): Set<number> {
  const small = new Set<number>();
  table.cells.forEach((c, i) => {
    if ([c.participants, c.attendances].some((v) => v > 0 && v < k)) small.add(i);
  });
  return small;
}

/** The loss as the exact reference (test/helpers/exact-suppression.ts) counts it: cells, or people (at least 1 a cell). */
export function countLoss(table: ProtectionTable, suppressed: Iterable<number>, cost: 'cells' | 'people'): number {
  let loss = 0;
  for (const i of suppressed) loss += cost === 'people' ? Math.max(1, table.cells[i]?.participants ?? 0) : 1;
  return loss;
}
