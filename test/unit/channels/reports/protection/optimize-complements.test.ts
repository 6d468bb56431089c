import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { auditIntervals, buildAttackerModel, findSensitiveForms, loadSolver, type ProtectionTable } from '../../../../../src/channels/reports/protection/index.ts';
import { optimizeComplements } from '../../../../../src/channels/reports/protection/optimize-complements.ts';
import type { Witness } from '../../../../../src/channels/reports/protection/choose-complements.ts';
import { auditAttendances } from '../../../../helpers/audit-attendances-milp.ts';
import { findExactSuppression } from '../../../../helpers/exact-suppression.ts';
import { buildTestTable, randomVisits, seededRandom } from '../../../../helpers/report-tables.ts';
import { countLoss, findSmallCells, randomSmallTable } from '../../../../helpers/small-report-tables.ts';

let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

const K = 11;
const OPTIONS = { minCellSize: K, measures: ['participants', 'attendances'] as const };
const LEVELS = { lower: 1, upper: 1 };
describe('optimizeComplements', () => {
  const setUp = (seed: number) => {
    const table = randomSmallTable(seed);
    const model = buildAttackerModel(table, OPTIONS);
    const forms = findSensitiveForms(table, model, OPTIONS);
    const primary = findSmallCells(table, K);
    const calls: Array<ReadonlySet<number>> = [];
    const accepts = (cells: ReadonlySet<number>, witnesses: Witness[]): boolean => {
      calls.push(cells);
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
    // The very set the audit passed (protectTable does not audit it again).
    expect(calls.at(-1)).toBe(suppressed);
    // Its witnesses are alternative tables of that pattern: the audit needs no other solve to pass.
    expect(auditIntervals(solver, model, forms, suppressed, LEVELS, found?.witnesses).passed).toBe(true);
    expect(auditIntervals(solver, model, forms, suppressed, LEVELS).passed).toBe(true);
    expect(auditAttendances(solver, table, suppressed, K)).toEqual([]);
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
    const found = optimizeComplements(solver, model, forms, { levels: LEVELS, primary: findSmallCells(table, K), costOf: () => 1, accepts: () => (asked += 1) > 0 });
    expect(found).toBeUndefined();
    expect(asked).toBe(0);
  });

  it('searches tables of exactly 100 cells (a 9x9 table with its margins): the bound is inclusive', () => {
    const sizes = [9, 9];
    const table = buildTestTable(sizes, randomVisits(sizes, 900, seededRandom(11)));
    expect(table.cells).toHaveLength(100);
    const model = buildAttackerModel(table, OPTIONS);
    const forms = findSensitiveForms(table, model, OPTIONS);
    const primary = findSmallCells(table, K);
    let asked = 0;
    const accepts = (cells: ReadonlySet<number>, witnesses: Witness[]): boolean => {
      asked += 1;
      return auditIntervals(solver, model, forms, cells, LEVELS, witnesses).passed;
    };
    const found = optimizeComplements(solver, model, forms, { levels: LEVELS, primary, costOf: () => 1, accepts });
    expect(asked).toBeGreaterThan(0);
    // The exact minimum of this table is 20 cells (the benchmark's 9x9 row).
    expect(found?.suppressed.size).toBe(20);
  }, 60_000);

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
    expect(countLoss(table, byPeople?.suppressed ?? [], 'people')).toBe(exact.cost);
  }, 60_000);
});
