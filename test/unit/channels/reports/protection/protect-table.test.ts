import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { loadSolver, protectTable, ReportProtectionError, type ProtectionCell, type ProtectionTable } from '../../../../../src/channels/reports/protection/index.ts';
import { enumerateIntervals } from '../../../../helpers/enumerate-intervals.ts';
import { buildTestTable, type Visit } from '../../../../helpers/report-tables.ts';

let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

/** One visit per person: participants = attendances, so the exact enumeration covers both. */
function tableOf(sizes: ReadonlyArray<number>, counts: ReadonlyArray<number>, options: { impossible?: (at: ReadonlyArray<number>) => boolean } = {}): ProtectionTable {
  const visits: Visit[] = [];
  let person = 0;
  counts.forEach((count, flat) => {
    const at: number[] = [];
    let rest = flat;
    for (let d = sizes.length - 1; d >= 0; d--) {
      at.unshift(rest % (sizes[d] ?? 1));
      rest = Math.floor(rest / (sizes[d] ?? 1));
    }
    for (let i = 0; i < count; i++) visits.push({ person: person++, at, times: 1 });
  });
  return buildTestTable(sizes, visits, options);
}

/** The independent audit: every small cell's exact integer interval keeps one unit either side. */
function expectProtected(table: ProtectionTable, suppressed: ReadonlyArray<number>, k: number, known: ReadonlyArray<{ parts: number[]; value: number }> = []): void {
  const hidden = new Set(suppressed);
  const sums = [...(table.sums as Map<number, number[]>)];
  const detailed = table.cells.flatMap((c, index) => (c.level === 0 ? [{ index, value: c.attendances }] : []));
  const margins = [...sums.map(([total, parts]) => ({ parts, value: hidden.has(total) ? null : (table.cells[total]?.attendances ?? 0) })), ...known];
  const grand = detailed.reduce((s, d) => s + d.value, 0);
  // Values above the true grand total are possible when it is suppressed; one unit more is all
  // the check needs to see.
  const intervals = enumerateIntervals(detailed, margins, (i) => !hidden.has(i), grand + 1);
  table.cells.forEach((cell, i) => {
    const small = cell.attendances > 0 && cell.attendances < k;
    if (!small) return;
    expect(hidden.has(i), `small cell ${i} is published`).toBe(true);
    if (cell.level > 0) return; // margins: covered by their parts' intervals
    const interval = intervals.get(i);
    expect(interval, `cell ${i} has no feasible interval`).toBeDefined();
    expect(interval?.min, `cell ${i} (${cell.attendances}) provably >= ${interval?.min}`).toBeLessThanOrEqual(Math.max(0, cell.attendances - 1));
    expect(interval?.max, `cell ${i} (${cell.attendances}) provably <= ${interval?.max}`).toBeGreaterThanOrEqual(cell.attendances + 1);
  });
}

const OPTIONS = { minCellSize: 5, measures: ['attendances', 'participants'] as const };

describe('protectTable against an exact (enumerating) attacker', () => {
  it.each([
    // The "intervals too narrow": a small cell beside zeros and a margin equal to it.
    // Each of these left a small cell bounded on one side at its true value under the old
    // exact-linear-exposure check (found by exact enumeration against it).
    ['a cell of 1 beside a zero is not left provably in [0, 1]', [2, 3], [8, 4, 4, 6, 1, 0]],
    ['a cell of 2 in a row with a zero and a 1 is not left provably at most 2', [2, 3], [2, 0, 8, 1, 4, 0]],
    ['two small cells in one row are not pinned by the row total and a zero', [2, 3], [9, 2, 2, 5, 0, 3]],
    ['a small cell of 1 in a 3x3 table with zeros around it', [3, 3], [1, 0, 9, 0, 8, 7, 6, 0, 9]],
  ])('%s', async (_name, sizes, counts) => {
    const table = tableOf(sizes, counts);
    const result = await protectTable(table, { ...OPTIONS, solver });
    expect(result.audit.passed).toBe(true);
    expectProtected(table, result.suppressed, OPTIONS.minCellSize);
  });

  it('branch-exclusive programmes: combinations that cannot occur are not cells, and known zeros do not protect', async () => {
    // Programme 0 runs only at branch 0: (1,0) is not a cell at all. Branch 0 has a small cell.
    const table = tableOf([2, 3], [3, 8, 7, 0, 9, 6], { impossible: (at) => at[0] === 1 && at[1] === 0 });
    const result = await protectTable(table, { ...OPTIONS, solver });
    expectProtected(table, result.suppressed, OPTIONS.minCellSize);
  });

  it('an implied group of people (margin minus a part) of 1..k-1 is protected', async () => {
    // Person 0 goes to both programmes; persons 1..2 only to programme 0: the programme total
    // (distinct) minus programme 1 is 2 people who never came to programme 1.
    const visits: Visit[] = [];
    for (let p = 0; p < 12; p++) visits.push({ person: p, at: [0], times: 1 }, { person: p, at: [1], times: 1 });
    visits.push({ person: 100, at: [0], times: 1 }, { person: 101, at: [0], times: 1 });
    const table = buildTestTable([2], visits);
    const result = await protectTable(table, { minCellSize: 11, measures: ['participants'], solver });
    const group = result.audit.forms.find((f) => f.form.kind === 'implied-group');
    expect(group).toBeDefined();
    expect(group?.protected).toBe(true);
    expect(result.suppressed.length).toBeGreaterThan(0);
  });

  it('a zero in a sensitive dimension beside a non-empty group is protected like a small cell', async () => {
    // All 14 people of group 0 are minors (value 0 of dimension 1): the zero for adults says so.
    const table = tableOf([2, 2], [14, 0, 12, 13]);
    const open = await protectTable(table, { ...OPTIONS, minCellSize: 5, solver });
    expect(open.suppressed).toEqual([]);
    const guarded = await protectTable(table, { ...OPTIONS, minCellSize: 5, sensitiveDimensions: [1], solver });
    const zero = guarded.audit.forms.find((f) => f.form.kind === 'sensitive-zero');
    expect(zero?.protected).toBe(true);
    expect(zero?.max).toBeGreaterThanOrEqual(1);
    expect(guarded.suppressed).toContain(1);
  });

  it('a figure published earlier (the ledger) joins the attacker: the same cells are not given away by differencing', async () => {
    // An earlier report published cells 0 and 1 together (5): with it, hiding cell 0 and cell 2
    // would not do; the protection must take the earlier figure into account.
    const table = tableOf([2, 2], [2, 3, 9, 8]);
    const prior = [{ figures: [{ cells: [0, 1], measure: 'attendances' as const, value: 5 }, { cells: [0, 1], measure: 'participants' as const, value: 5 }] }];
    const result = await protectTable(table, { ...OPTIONS, priorTables: prior, solver });
    expectProtected(table, result.suppressed, OPTIONS.minCellSize, [{ parts: [0, 1], value: 5 }]);
  });

  it('noisy figures (measures drawn apart, margins summed): the relations between measures are not assumed, and small ones are hidden', async () => {
    // Rows r0, r1 by columns c0, c1: participants beside attendances as noise can leave them
    // (more participants than attendances, none beside some); margins are sums of their cells.
    const detailed: Array<[string, string, number, number]> = [['r0', 'c0', 6, 2], ['r0', 'c1', 0, 9], ['r1', 'c0', 8, 8], ['r1', 'c1', 9, 7]];
    const cells: ProtectionCell[] = detailed.map(([r, c, participants, attendances]) => ({ values: [r, c], participants, attendances, level: 0 }));
    const sums: Array<readonly [number, number[]]> = [];
    const margin = (values: Array<string | null>, parts: number[]): void => {
      sums.push([cells.length, parts]);
      cells.push({ values, participants: parts.reduce((n, i) => n + (cells[i]?.participants ?? 0), 0), attendances: parts.reduce((n, i) => n + (cells[i]?.attendances ?? 0), 0), level: values.filter((v) => v === null).length });
    };
    margin([null, 'c0'], [0, 2]);
    margin([null, 'c1'], [1, 3]);
    margin(['r0', null], [0, 1]);
    margin(['r1', null], [2, 3]);
    margin([null, null], [0, 1, 2, 3]);
    const table: ProtectionTable = { cells, sums };
    const result = await protectTable(table, { ...OPTIONS, noisy: true, solver });
    expect(result.audit.passed).toBe(true);
    expect(result.suppressed).toContain(0);
    expect(result.suppressed.length).toBeGreaterThan(1);
  });

  it('a table that cannot be protected is not published: a catalogued error, no figures, no values', async () => {
    // The ledger already published the small cell alone: nothing suppressed now can hide it.
    const table = tableOf([2, 2], [3, 9, 9, 8]);
    const prior = [{ figures: [{ cells: [0], measure: 'attendances' as const, value: 3 }] }];
    const failure = await protectTable(table, { ...OPTIONS, priorTables: prior, solver }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ReportProtectionError);
    expect((failure as ReportProtectionError).code).toBe('report_unprotectable');
    expect((failure as Error).message).toMatch(/cannot be protected.*not published/);
    expect((failure as Error).message).not.toMatch(/\b3\b|v0\./);
  });

  it('suppression by people prefers hiding fewer people', async () => {
    const table = tableOf([2, 3], [2, 30, 12, 40, 20, 11]);
    const byCells = await protectTable(table, { ...OPTIONS, solver });
    const byPeople = await protectTable(table, { ...OPTIONS, suppressionCost: 'people', solver });
    const people = (ids: ReadonlyArray<number>): number => ids.reduce((s, i) => s + (table.cells[i]?.participants ?? 0), 0);
    expect(people(byPeople.suppressed)).toBeLessThanOrEqual(people(byCells.suppressed));
    expectProtected(table, byPeople.suppressed, OPTIONS.minCellSize);
  });

  test.prop([fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 })).chain(([r, c]) => fc.tuple(fc.constant([r, c]), fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 9 })), { minLength: r * c, maxLength: r * c })))], { numRuns: 40 })(
    'random 2-D tables: every small cell keeps an exact integer interval of one unit either side',
    async ([sizes, counts]) => {
      const table = tableOf(sizes, counts);
      const result = await protectTable(table, { ...OPTIONS, solver });
      expectProtected(table, result.suppressed, OPTIONS.minCellSize);
    },
  );

  test.prop([fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 6 })), { minLength: 8, maxLength: 8 })], { numRuns: 10 })(
    'random 2x2x2 tables: every small cell keeps an exact integer interval (integrality included)',
    async (counts) => {
      const table = tableOf([2, 2, 2], counts);
      const result = await protectTable(table, { ...OPTIONS, solver });
      expectProtected(table, result.suppressed, OPTIONS.minCellSize);
    },
  );
});
