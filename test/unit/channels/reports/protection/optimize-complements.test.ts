import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { auditIntervals, buildAttackerModel, findSensitiveForms, loadSolver, protectTable, type ProtectionTable } from '../../../../../src/channels/reports/protection/index.ts';
import { optimizeComplements } from '../../../../../src/channels/reports/protection/optimize-complements.ts';
import type { Witness } from '../../../../../src/channels/reports/protection/choose-complements.ts';
import { auditPublishedMilp, type AuditFigure, type AuditQuantity } from '../../../../helpers/audit-published-milp.ts';
import { findExactSuppression } from '../../../../helpers/exact-suppression.ts';
import { buildTestTable, randomVisits, seededRandom } from '../../../../helpers/report-tables.ts';

let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

const K = 11;
const OPTIONS = { minCellSize: K, measures: ['participants', 'attendances'] as const };
const LEVELS = { lower: 1, upper: 1 };
const SHAPES = [[3, 4], [4, 5], [2, 2, 2], [2, 2, 3], [2, 3, 3]];

/** The random tables of the benchmark's small-seed sweep (and prune-complements.test.ts). */
function randomTable(seed: number): ProtectionTable {
  const sizes = SHAPES[seed % SHAPES.length] as number[];
  const random = seededRandom(seed);
  const people = Math.round(sizes.reduce((a, b) => a * b, 1) * (3 + random() * 8));
  return buildTestTable(sizes, randomVisits(sizes, people, random));
}

function primaryOf(table: ProtectionTable): Set<number> {
  const primary = new Set<number>();
  table.cells.forEach((c, i) => {
    if (OPTIONS.measures.some((m) => c[m] > 0 && c[m] < K)) primary.add(i);
  });
  return primary;
}

/** The loss as the exact reference counts it: cells, or people (at least 1 a cell). */
function lossOf(table: ProtectionTable, suppressed: Iterable<number>, cost: 'cells' | 'people'): number {
  let loss = 0;
  for (const i of suppressed) loss += cost === 'people' ? Math.max(1, table.cells[i]?.participants ?? 0) : 1;
  return loss;
}

/**
 * The independent auditor (HiGHS on the attacker's MILP written from scratch, not the product's
 * model): the detailed cells' attendances are the unknowns, every published attendances figure
 * an equation; every small cell's attendances (a detailed cell or a margin) must keep one unit
 * either side. This attacker knows less than the product's (no participants), so it must never
 * find what the product's audit missed.
 */
function auditAttendances(table: ProtectionTable, suppressed: ReadonlyArray<number>) {
  const hidden = new Set(suppressed);
  const sums = new Map(table.sums as Map<number, number[]>);
  const detailed = table.cells.flatMap((c, i) => (c.level === 0 ? [i] : []));
  const unitOf = new Map(detailed.map((cell, u) => [cell, u]));
  const unitsOf = (cell: number): number[] => (unitOf.has(cell) ? [unitOf.get(cell) as number] : (sums.get(cell) ?? []).map((p) => unitOf.get(p) as number));
  const truths = detailed.map((cell) => table.cells[cell]?.attendances ?? 0);
  const figures: AuditFigure[] = table.cells.map((c, i) => ({ units: unitsOf(i), value: hidden.has(i) ? null : c.attendances }));
  const quantities: AuditQuantity[] = table.cells.flatMap((c, i) => (OPTIONS.measures.some((m) => c[m] > 0 && c[m] < K) ? [{ units: unitsOf(i), label: `cell ${i} (attendances ${c.attendances})` }] : []));
  return auditPublishedMilp(solver, truths, figures, quantities, LEVELS);
}

describe('protectTable within 10% of the exact minimum on small tables (the exact search, optimize-complements.ts)', () => {
  it.each([
    // The sequential choice with pruning and swaps stopped at 19 cells: the exact pattern of 17
    // shares no local move with it. The integer program finds it.
    ['seed 18 by cells, a 2x2x3 table where the local search was stuck at 19 against 17', 18, 'cells'],
    ['seed 12 by cells, a 2x2x2 table where the exact search improves on the local search', 12, 'cells'],
    ['seed 14 by cells, a 2x3x3 table (48 cells) where it improves too', 14, 'cells'],
    ['seed 8 by people, a 2x2x3 table that needed a repair after the first audit', 8, 'people'],
    ['seed 19 by people, a 2x3x3 table where the exact search saves 11 people', 19, 'people'],
    ['seed 6 by cells, a 4x5 table the heuristic already solved (nothing to improve)', 6, 'cells'],
  ] as const)('%s', async (_name, seed, cost) => {
    const table = randomTable(seed);
    const result = await protectTable(table, { ...OPTIONS, suppressionCost: cost, solver });
    const exact = findExactSuppression(solver, table, { ...OPTIONS, cost, timeLimit: 600 });
    expect(exact.exact, 'the exact reference finished').toBe(true);
    const loss = lossOf(table, result.suppressed, cost);
    expect(loss, 'never below the exact minimum').toBeGreaterThanOrEqual(exact.cost ?? Infinity);
    expect(loss, `within 10% of the exact minimum ${exact.cost}`).toBeLessThanOrEqual(1.1 * (exact.cost ?? 0));
    expect(result.audit.passed).toBe(true);
    for (const cell of primaryOf(table)) expect(result.suppressed, `small cell ${cell}`).toContain(cell);
    expect(auditAttendances(table, result.suppressed)).toEqual([]);
  }, 120_000);

  it('the same table gives the same pattern twice (no clock, no unseeded randomness)', async () => {
    const table = randomTable(18);
    const first = await protectTable(table, { ...OPTIONS, solver });
    const second = await protectTable(table, { ...OPTIONS, solver });
    expect(second.suppressed).toEqual(first.suppressed);
  }, 60_000);
});

describe('optimizeComplements', () => {
  const setUp = (seed: number) => {
    const table = randomTable(seed);
    const model = buildAttackerModel(table, OPTIONS);
    const forms = findSensitiveForms(table, model, OPTIONS);
    const primary = primaryOf(table);
    const calls: Array<ReadonlySet<number>> = [];
    const accepts = (cells: ReadonlySet<number>, witnesses: Witness[]): boolean => {
      calls.push(new Set(cells));
      return auditIntervals(solver, model, forms, cells, LEVELS, witnesses).passed;
    };
    return { table, model, forms, primary, calls, accepts, costOf: () => 1 };
  };

  it('without an incumbent, finds the exact minimum and only a pattern the audit accepts (small cells kept)', () => {
    const { table, model, forms, primary, accepts, costOf, calls } = setUp(18);
    const found = optimizeComplements(solver, model, forms, { levels: LEVELS, primary, costOf, accepts });
    expect(found).toBeDefined();
    const suppressed = found?.suppressed ?? new Set<number>();
    for (const cell of primary) expect(suppressed.has(cell), `small cell ${cell}`).toBe(true);
    expect(suppressed.size).toBe(17);
    expect(calls.at(-1)).toEqual(suppressed);
    // Its witnesses are alternative tables of that pattern: the audit needs no other solve to pass.
    expect(auditIntervals(solver, model, forms, suppressed, LEVELS, found?.witnesses).passed).toBe(true);
    expect(auditIntervals(solver, model, forms, suppressed, LEVELS).passed).toBe(true);
    expect(auditAttendances(table, [...suppressed])).toEqual([]);
  });

  it('returns nothing when the incumbent is already the minimum (only a cheaper pattern is an answer)', () => {
    const { model, forms, primary, accepts, costOf } = setUp(18);
    const best = optimizeComplements(solver, model, forms, { levels: LEVELS, primary, costOf, accepts });
    expect(best).toBeDefined();
    expect(optimizeComplements(solver, model, forms, { levels: LEVELS, primary, costOf, accepts, incumbent: best?.suppressed })).toBeUndefined();
  });

  it('improves on a worse incumbent (the local search stopped at 19 cells on this table)', async () => {
    const { table, model, forms, primary, accepts, costOf } = setUp(18);
    // All cells suppressed is a (poor) pattern that the audit passes.
    const everything = new Set(table.cells.map((_, i) => i));
    expect(accepts(everything, [])).toBe(true);
    const found = optimizeComplements(solver, model, forms, { levels: LEVELS, primary, costOf, accepts, incumbent: everything });
    expect(found?.suppressed.size).toBe(17);
  });

  it('never returns a pattern the audit refused (a refusing audit leaves nothing)', () => {
    const { model, forms, primary, costOf, calls } = setUp(18);
    const refuse = (cells: ReadonlySet<number>): boolean => {
      calls.push(new Set(cells));
      return false;
    };
    expect(optimizeComplements(solver, model, forms, { levels: LEVELS, primary, costOf, accepts: refuse })).toBeUndefined();
    // Each refused pattern was excluded with its subsets: none was offered twice.
    const keys = calls.map((c) => [...c].sort((a, b) => a - b).join(','));
    expect(calls.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('leaves tables above 100 cells to the heuristic (a 10x10 table has 121 cells)', () => {
    const sizes = [10, 10];
    const table = buildTestTable(sizes, randomVisits(sizes, 500, seededRandom(3)));
    const model = buildAttackerModel(table, OPTIONS);
    const forms = findSensitiveForms(table, model, OPTIONS);
    let asked = 0;
    const found = optimizeComplements(solver, model, forms, { levels: LEVELS, primary: primaryOf(table), costOf: () => 1, accepts: () => (asked += 1) > 0 });
    expect(found).toBeUndefined();
    expect(asked).toBe(0);
  });

  it('a table with nothing small needs no complement: nothing to find', () => {
    const table = buildTestTable([2, 2], [0, 1, 2, 3].map((p) => ({ person: p, at: [p >> 1, p & 1], times: 20 })).flatMap((v) => Array.from({ length: 12 }, (_, k) => ({ ...v, person: v.person * 100 + k }))));
    const model = buildAttackerModel(table, OPTIONS);
    const forms = findSensitiveForms(table, model, OPTIONS);
    expect(forms).toEqual([]);
    expect(optimizeComplements(solver, model, forms, { levels: LEVELS, primary: new Set(), costOf: () => 1, accepts: () => true })).toBeUndefined();
  });

  it('weighs cells by the cost given (people): the cheapest pattern by that cost, not by count', () => {
    const { table, model, forms, primary, accepts } = setUp(19);
    const people = (cell: number): number => Math.max(1, table.cells[cell]?.participants ?? 0);
    const byPeople = optimizeComplements(solver, model, forms, { levels: LEVELS, primary, costOf: people, accepts });
    const exact = findExactSuppression(solver, table, { ...OPTIONS, cost: 'people', timeLimit: 600 });
    expect(byPeople).toBeDefined();
    expect(lossOf(table, byPeople?.suppressed ?? [], 'people')).toBe(exact.cost);
  }, 60_000);
});
