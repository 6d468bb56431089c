import type { CompiledReport } from '../../contracts/compiled-contract.ts';
import { findHierarchyPairs, isHierarchyCell } from './dimension-hierarchy.ts';
import type { ParticipationTally } from './participation-tally.ts';

/** One published cell: a value per dimension (null = Total over that dimension) and its counts. */
export interface ReportCell {
  readonly values: ReadonlyArray<string | null>;
  readonly attendances: number;
  readonly participants: number;
  /** How many dimensions this cell sums over (0 for the detailed table). */
  readonly level: number;
  suppressed: 'primary' | 'complementary' | false;
}

export interface ReportTable {
  readonly dimensions: ReadonlyArray<string>;
  readonly cells: ReportCell[];
  /** For each total (level > 0), the detailed cells it sums, by index into `cells`. */
  readonly sums: ReadonlyMap<number, ReadonlyArray<number>>;
}

/**
 * Builds the table from a tally: every combination of observed values (true zeros included), and
 * when the contract publishes totals, every margin (each set of dimensions summed over, up to the
 * grand total). Attendances add up; participants are counted distinct in every cell and total.
 * With a declared hierarchy (month within quarter), combinations that cannot occur are not
 * cells, and a month summed over its quarter is not repeated (see isHierarchyCell).
 */
export function buildReportTable(tally: ParticipationTally, report: CompiledReport): ReportTable {
  const n = report.dimensions.length;
  const values = Array.from({ length: n }, (_, d) => sortValues(tally.valuesOf(d), report.dimensions[d]?.bands?.map((b) => b.label)));
  // Index of each value in the sorted order, per dimension, from the tally's dictionary index.
  const order = values.map((sorted, d) => {
    const byIndex = tally.valuesOf(d);
    return byIndex.map((v) => sorted.indexOf(v));
  });
  const masks = report.totals ? Array.from({ length: 1 << n }, (_, m) => m) : [0];
  const cells: ReportCell[] = [];
  const detailedIndices: Array<{ index: number; sorted: number[] }> = [];
  const indexByKey = new Map<string, number>();
  const keyOf = (sortedIndices: ReadonlyArray<number>, mask: number): string => sortedIndices.map((v, d) => ((mask >> d) & 1 ? 'T' : String(v))).join(',');
  const pairs = findHierarchyPairs(report.dimensions);

  // Every cell of every margin, in a stable order: detailed first, then by mask.
  for (const mask of masks) {
    const ranges = values.map((v, d) => ((mask >> d) & 1 ? [-1] : v.map((_, i) => i)));
    for (const combination of cartesian(ranges)) {
      const cellValues = combination.map((i, d) => (i === -1 ? null : (values[d]?.[i] ?? '')));
      if (pairs.length > 0 && !isHierarchyCell(cellValues, report.dimensions, pairs)) continue;
      indexByKey.set(keyOf(combination, mask), cells.length);
      if (mask === 0) detailedIndices.push({ index: cells.length, sorted: combination });
      cells.push({ values: cellValues, attendances: 0, participants: 0, level: popcount(mask), suppressed: false });
    }
  }
  const counts = cells.map(() => ({ attendances: 0, participants: 0 }));
  const toSorted = (key: string): number[] => key.split(',').map((i, d) => order[d]?.[Number(i)] ?? 0);
  for (const [key, attendances] of tally.attendances) {
    const sorted = toSorted(key);
    for (const mask of masks) {
      const index = indexByKey.get(keyOf(sorted, mask));
      if (index !== undefined) (counts[index] as { attendances: number }).attendances += attendances;
    }
  }
  for (const cellsOfPerson of tally.cellsByPerson()) {
    const seen = new Set<number>();
    for (const key of cellsOfPerson) {
      const sorted = toSorted(key);
      for (const mask of masks) {
        const index = indexByKey.get(keyOf(sorted, mask));
        if (index !== undefined) seen.add(index);
      }
    }
    for (const index of seen) (counts[index] as { participants: number }).participants += 1;
  }
  const finalCells = cells.map((cell, i) => ({ ...cell, ...counts[i] }));

  const sums = new Map<number, number[]>();
  for (const { index, sorted } of detailedIndices) {
    for (const mask of masks) {
      if (mask === 0) continue;
      const total = indexByKey.get(keyOf(sorted, mask));
      if (total === undefined) continue;
      let list = sums.get(total);
      if (!list) sums.set(total, (list = []));
      list.push(index);
    }
  }
  return { dimensions: report.dimensions.map((d) => d.name), cells: finalCells, sums };
}

function sortValues(values: string[], bandOrder: ReadonlyArray<string> | undefined): string[] {
  const rank = (v: string): number => {
    const i = bandOrder?.indexOf(v) ?? -1;
    if (i >= 0) return i;
    return /^\d+-\d+$|^\d+\+$/.test(v) ? Number(v.split(/[-+]/)[0]) : Number.NaN;
  };
  return [...values].sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (!Number.isNaN(ra) && !Number.isNaN(rb)) return ra - rb;
    return a.localeCompare(b, 'en');
  });
}

function* cartesian(ranges: ReadonlyArray<ReadonlyArray<number>>): Generator<number[]> {
  if (ranges.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = ranges;
  for (const head of first ?? []) for (const tail of cartesian(rest)) yield [head, ...tail];
}

function popcount(mask: number): number {
  let c = 0;
  for (let m = mask; m; m >>= 1) c += m & 1;
  return c;
}
