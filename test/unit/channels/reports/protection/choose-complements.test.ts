import { fc, test } from '@fast-check/vitest';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSolver, protectTable, type ProtectionTable } from '../../../../../src/channels/reports/protection/index.ts';
import { enumerateIntervals } from '../../../../helpers/enumerate-intervals.ts';
import { buildTestTable, type Visit } from '../../../../helpers/report-tables.ts';

// Complementary suppression by cost (README, Grant reports: "for each sensitive quantity, the
// cheapest alternative table the attacker cannot tell from the true one is found by linear
// programming, and the published figures it moves are suppressed"; `suppressionCost: cells |
// people`, detailed cells preferred to margins), through protectTable.
let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

/** One visit per person; `rows` of counts make a 2-D table (with every margin). */
function tableOf(rows: ReadonlyArray<ReadonlyArray<number>>): ProtectionTable {
  const visits: Visit[] = [];
  let person = 0;
  rows.forEach((row, r) => row.forEach((count, c) => {
    for (let i = 0; i < count; i++) visits.push({ person: person++, at: [r, c], times: 1 });
  }));
  return buildTestTable([rows.length, rows[0]?.length ?? 0], visits);
}

/** The figure at row r, column c (null: the margin over that dimension). */
function at(table: ProtectionTable, r: number | null, c: number | null): number {
  const values = JSON.stringify([r === null ? null : `v0.${r}`, c === null ? null : `v1.${c}`]);
  return table.cells.findIndex((cell) => JSON.stringify(cell.values) === values);
}

const OPTIONS = { minCellSize: 5, measures: ['attendances', 'participants'] as const };

/** The exact integer interval of every small detailed cell reaches the levels (independent enumeration). */
function expectLevels(table: ProtectionTable, suppressed: ReadonlyArray<number>, levels: { lower: number; upper: number }): void {
  const hidden = new Set(suppressed);
  const detailed = table.cells.flatMap((c, index) => (c.level === 0 ? [{ index, value: c.attendances }] : []));
  const margins = [...(table.sums as Map<number, number[]>)].map(([total, parts]) => ({ parts, value: hidden.has(total) ? null : (table.cells[total]?.attendances ?? 0) }));
  const grand = detailed.reduce((s, d) => s + d.value, 0);
  const intervals = enumerateIntervals(detailed, margins, (i) => !hidden.has(i), grand + levels.upper);
  for (const { index, value } of detailed) {
    if (value === 0 || value >= OPTIONS.minCellSize) continue;
    const interval = intervals.get(index);
    expect(interval?.min, `cell ${index} (${value})`).toBeLessThanOrEqual(Math.max(0, value - levels.lower));
    expect(interval?.max, `cell ${index} (${value})`).toBeGreaterThanOrEqual(value + levels.upper);
  }
}

describe('chooseComplements: the cheapest complementary cells', () => {
  // 3x3, one small cell (2) at r0 c0. The rectangles that can hide it, by the people they hide
  // beside it: r1 c1 20 + 25 + 6 = 51 (the least), r1 c2 95, r2 c1 105, r2 c2 72.
  const ROWS = [[2, 20, 30], [25, 6, 40], [35, 50, 7]];

  it('by people: the rectangle that hides the fewest people, and no margin', async () => {
    const table = tableOf(ROWS);
    const result = await protectTable(table, { ...OPTIONS, suppressionCost: 'people', solver });
    expect(result.suppressed).toEqual([at(table, 0, 0), at(table, 0, 1), at(table, 1, 0), at(table, 1, 1)].sort((a, b) => a - b));
    expect(result.primary).toBe(1);
  });

  // One measure, so a cell is one figure: with both, the distinct-participants margins need not
  // move with their parts, and a path through margins can be the cheaper one.
  it('by cells, one measure: four cells (the fewest that can hide one), all detailed: margins cost more', async () => {
    const table = tableOf(ROWS);
    const result = await protectTable(table, { ...OPTIONS, measures: ['attendances'], solver });
    expect(result.suppressed).toHaveLength(4);
    expect(result.suppressed.every((i) => table.cells[i]?.level === 0)).toBe(true);
    expect(result.suppressed).toContain(at(table, 0, 0));
    expectLevels(table, result.suppressed, { lower: 1, upper: 1 });
  });

  it('one dimension, one measure: a second cell is hidden rather than the total (a margin costs a tenth more)', async () => {
    const visits: Visit[] = [];
    let person = 0;
    [2, 9, 12].forEach((count, c) => {
      for (let i = 0; i < count; i++) visits.push({ person: person++, at: [c], times: 1 });
    });
    const table = buildTestTable([3], visits);
    const result = await protectTable(table, { ...OPTIONS, measures: ['attendances'], solver });
    expect(result.suppressed).toHaveLength(2);
    expect(result.suppressed.every((i) => table.cells[i]?.level === 0)).toBe(true);
  });

  it('by people or by cells: a longer path through small cells against a rectangle through large ones', async () => {
    // r0 c0 (2) is small. Every rectangle through it hides 110 people or more; the cycle
    // r0c0 r0c1 r1c1 r1c2 r2c2 r2c0 hides five cells of 5 people (25).
    const table = tableOf([[2, 5, 100], [100, 5, 5], [5, 100, 5]]);
    const byPeople = await protectTable(table, { ...OPTIONS, suppressionCost: 'people', solver });
    expect(byPeople.suppressed).toEqual([at(table, 0, 0), at(table, 0, 1), at(table, 1, 1), at(table, 1, 2), at(table, 2, 2), at(table, 2, 0)].sort((a, b) => a - b));
    const byCells = await protectTable(table, { ...OPTIONS, measures: ['attendances'], solver });
    expect(byCells.suppressed).toHaveLength(4);
    expectLevels(table, byCells.suppressed, { lower: 1, upper: 1 });
  });

  it('by people counts people, not attendances: regulars who come often do not make a cell dear', async () => {
    // The same people as the first table, but the people of the r1 c1 rectangle come four times
    // each: by attendances it would be the dearest (204), by people it is still the cheapest (51).
    const visits: Visit[] = [];
    let person = 0;
    ROWS.forEach((row, r) => row.forEach((count, c) => {
      const often = (r === 0 && c === 1) || (r === 1 && c <= 1);
      for (let i = 0; i < count; i++) visits.push({ person: person++, at: [r, c], times: often ? 4 : 1 });
    }));
    const table = buildTestTable([3, 3], visits);
    const result = await protectTable(table, { ...OPTIONS, suppressionCost: 'people', solver });
    expect(result.suppressed).toEqual([at(table, 0, 0), at(table, 0, 1), at(table, 1, 0), at(table, 1, 1)].sort((a, b) => a - b));
  });

  it('two small cells in one row share one rectangle: four cells in all', async () => {
    const table = tableOf([[2, 3, 30, 40], [20, 25, 35, 45]]);
    const result = await protectTable(table, { ...OPTIONS, solver });
    expect(result.suppressed).toEqual([at(table, 0, 0), at(table, 0, 1), at(table, 1, 0), at(table, 1, 1)].sort((a, b) => a - b));
    expect(result.primary).toBe(2);
  });

  it.each([
    [{ lower: 2, upper: 3 }, [[3, 9, 8], [8, 9, 7], [6, 5, 9]]],
    [{ lower: 3, upper: 1 }, [[2, 9, 8], [8, 3, 7], [6, 5, 9]]],
    [{ lower: 1, upper: 6 }, [[4, 9, 8], [8, 9, 7], [6, 5, 1]]],
  ])('protection levels %j: every small cell\'s exact interval reaches them', async (protection, rows) => {
    const table = tableOf(rows);
    const result = await protectTable(table, { ...OPTIONS, protection, solver });
    expectLevels(table, result.suppressed, protection);
  });

  it('many small cells (more than one batch of alternative tables): all protected, sharing cells rather than a rectangle each', async () => {
    // 8x8 with a small cell on the diagonal of each row: 16 moves to find, more than one batch.
    const rows = Array.from({ length: 8 }, (_, r) => Array.from({ length: 8 }, (_, c) => (r === c ? 1 + (r % 4) : 20 + r + c)));
    const table = tableOf(rows);
    const result = await protectTable(table, { ...OPTIONS, solver });
    expect(result.audit.passed).toBe(true);
    expect(result.primary).toBe(8);
    // Every row with a hidden cell needs a second one hidden: 16 at least, which one cycle
    // through the diagonal reaches (a rectangle for each small cell would hide 32).
    expect(result.suppressed).toHaveLength(16);
    expect(result.suppressed.every((i) => table.cells[i]?.level === 0)).toBe(true);
  });

  test.prop([fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 })).chain(([r, c]) => fc.array(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 9 })), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }))], { numRuns: 30, seed: 20261202 })(
    'random 2-D tables, one measure: every interval the audit reports is one the attacker really has (inside the exact one) and reaches the levels',
    async (rows) => {
      const table = tableOf(rows);
      const result = await protectTable(table, { ...OPTIONS, measures: ['attendances'], solver });
      const hidden = new Set(result.suppressed);
      const detailed = table.cells.flatMap((c, index) => (c.level === 0 ? [{ index, value: c.attendances }] : []));
      const margins = [...(table.sums as Map<number, number[]>)].map(([total, parts]) => ({ parts, value: hidden.has(total) ? null : (table.cells[total]?.attendances ?? 0) }));
      const grand = detailed.reduce((s, d) => s + d.value, 0);
      const exact = enumerateIntervals(detailed, margins, (i) => !hidden.has(i), grand + 1);
      for (const audited of result.audit.forms) {
        const term = audited.form.terms[0];
        if (audited.form.terms.length !== 1 || !term || table.cells[term.cell]?.level !== 0) continue;
        const interval = exact.get(term.cell) ?? { min: audited.form.value, max: audited.form.value };
        // The tables witnessing each side are real: the reported bounds lie inside the exact interval.
        expect(audited.min + 0, `cell ${term.cell}`).toBeGreaterThanOrEqual(interval.min);
        expect(Math.min(audited.max, grand + 1), `cell ${term.cell}`).toBeLessThanOrEqual(interval.max);
        expect(audited.min).toBeLessThanOrEqual(Math.max(0, audited.form.value - 1));
        expect(audited.max).toBeGreaterThanOrEqual(audited.form.value + 1);
        expect(audited.protected).toBe(true);
      }
    },
  );
});
