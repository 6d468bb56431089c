import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { buildAttackerModel, chooseComplements, findSensitiveForms, loadSolver, type ProtectionTable } from '../../../../../src/channels/reports/protection/index.ts';
import { createCutSeparator, type Cut } from '../../../../../src/channels/reports/protection/attacker-cuts.ts';
import { columnOf, type AttackerModel } from '../../../../../src/channels/reports/protection/attacker-model.ts';
import type { Witness } from '../../../../../src/channels/reports/protection/choose-complements.ts';
import { findSmallCells, randomSmallTable } from '../../../../helpers/small-report-tables.ts';
import { seededRandom } from '../../../../helpers/report-tables.ts';

let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

const K = 11;
const OPTIONS = { minCellSize: K, measures: ['participants', 'attendances'] as const };
const LEVELS = { lower: 1, upper: 1 };

function patternOf(n: number, cells: Iterable<number>): Float64Array {
  const y = new Float64Array(n);
  for (const cell of cells) y[cell] = 1;
  return y;
}

function valueAt(cut: Cut, y: Float64Array): number {
  return cut.cells.reduce((sum, cell, j) => sum + (cut.weights[j] ?? 0) * (y[cell] ?? 0), 0);
}

/** A witness is a table the attacker cannot tell apart on this pattern: every relation, non-negative, published figures unmoved. */
function expectIndistinguishable(attacker: AttackerModel, witness: Witness, suppressed: ReadonlySet<number>): void {
  const x = Float64Array.from(attacker.values);
  for (const [c, delta] of witness) x[c] = (x[c] ?? 0) + delta;
  for (let c = 0; c < attacker.columnCount; c++) {
    expect(x[c], `figure ${c} non-negative`).toBeGreaterThanOrEqual(-1e-6);
    if (attacker.publishedColumn[c] && !suppressed.has(c >> 1)) expect(witness.get(c) ?? 0, `published figure ${c} unmoved`).toBe(0);
  }
  for (const row of attacker.rows) {
    const at = row.columns.reduce((sum, c, j) => sum + (row.coefficients[j] ?? 0) * (x[c] ?? 0), 0);
    expect(at).toBeGreaterThanOrEqual(row.lower - 1e-6);
    expect(at).toBeLessThanOrEqual(row.upper + 1e-6);
  }
}

describe('createCutSeparator: Benders cuts from the attacker linear programs', () => {
  const setUp = (seed: number, table: ProtectionTable = randomSmallTable(seed)) => {
    const attacker = buildAttackerModel(table, OPTIONS);
    const forms = findSensitiveForms(table, attacker, OPTIONS);
    const primary = findSmallCells(table, K);
    // A pattern every side's linear program accepts, chosen without these cuts (the sequential
    // heuristic): every valid cut must keep it.
    const protectedCells = new Set(primary);
    chooseComplements(solver, attacker, forms, protectedCells, { levels: LEVELS, cost: 'cells' });
    return { table, attacker, forms, primary, protectedCells };
  };

  it.each([18, 12, 4])('seed %i: on the small cells alone, every side short of its level gets a cut that this pattern violates and a pattern the heuristic protected keeps (with every superset)', async (seed) => {
    const { table, attacker, forms, primary, protectedCells } = setUp(seed);
    const separator = createCutSeparator(solver, attacker, forms, LEVELS, primary);
    try {
      const n = table.cells.length;
      const bare = patternOf(n, primary);
      const safe = patternOf(n, protectedCells);
      const everything = patternOf(n, table.cells.keys());
      let cuts = 0;
      for (const side of separator.sides) {
        const outcome = separator.separate(side, bare);
        if (outcome.met) continue;
        // A finite linear program short of its target always has duals to give a cut.
        expect(outcome.cut, 'a side short of its level gets a cut').toBeDefined();
        if (!outcome.cut) continue;
        cuts += 1;
        const cut = outcome.cut;
        expect(valueAt(cut, bare), 'violated where it was found').toBeLessThan(1);
        expect(valueAt(cut, safe), 'kept by a pattern that passes the audit').toBeGreaterThanOrEqual(1 - 1e-9);
        expect(valueAt(cut, everything)).toBeGreaterThanOrEqual(1 - 1e-9);
        for (const [j, cell] of cut.cells.entries()) {
          expect(primary.has(cell), `small cell ${cell} is a constant, not a term`).toBe(false);
          expect(cut.weights[j]).toBeGreaterThan(0);
          expect(cut.weights[j], 'a weight above the need is cut down to it').toBeLessThanOrEqual(1);
        }
        expect([...cut.cells], 'cells in order').toEqual([...cut.cells].sort((a, b) => a - b));
      }
      expect(cuts).toBeGreaterThan(0);
      expect(separator.solves()).toBe(separator.sides.length);
    } finally {
      separator.dispose();
    }
  }, 60_000);

  it('seed 18: random patterns between the small cells and the protected pattern: no cut excludes the protected pattern', async () => {
    const { table, attacker, forms, primary, protectedCells } = setUp(18);
    const separator = createCutSeparator(solver, attacker, forms, LEVELS, primary);
    const random = seededRandom(7);
    try {
      const n = table.cells.length;
      const safe = patternOf(n, protectedCells);
      const optional = [...protectedCells].filter((c) => !primary.has(c));
      for (let trial = 0; trial < 6; trial++) {
        const y = patternOf(n, [...primary, ...optional.filter(() => random() < 0.5)]);
        // Fractional patterns (the relaxation's) too.
        if (trial % 2 === 1) for (const cell of optional) if (y[cell] === 0) y[cell] = random() * 0.5;
        for (const side of separator.sides) {
          const outcome = separator.separate(side, y);
          if (outcome.met) continue;
          expect(outcome.cut, 'a side short of its level gets a cut').toBeDefined();
          if (!outcome.cut) continue;
          expect(valueAt(outcome.cut, y)).toBeLessThan(1);
          expect(valueAt(outcome.cut, safe)).toBeGreaterThanOrEqual(1 - 1e-9);
        }
      }
    } finally {
      separator.dispose();
    }
  }, 60_000);

  it('seed 18: on a pattern the heuristic protected every side is met, each with a table the attacker cannot tell apart that moves the form by its level', async () => {
    const { table, attacker, forms, primary, protectedCells } = setUp(18);
    const separator = createCutSeparator(solver, attacker, forms, LEVELS, primary);
    try {
      // The same separator after another pattern: the bounds follow the pattern asked about.
      for (const side of separator.sides.slice(0, 3)) separator.separate(side, patternOf(table.cells.length, primary));
      const y = patternOf(table.cells.length, protectedCells);
      const witnesses: Witness[] = [];
      for (const side of separator.sides) {
        const outcome = separator.separate(side, y);
        expect(outcome.met).toBe(true);
        if (!outcome.met || !outcome.witness) continue;
        witnesses.push(outcome.witness);
        expectIndistinguishable(attacker, outcome.witness, protectedCells);
        const move = side.form.terms.reduce((sum, t) => sum + t.coefficient * (outcome.witness?.get(columnOf(t.cell, t.measure)) ?? 0), 0);
        expect(side.direction * (side.form.value + move)).toBeGreaterThanOrEqual(side.target - 1e-6);
      }
      expect(witnesses.length).toBeGreaterThan(0);
    } finally {
      separator.dispose();
    }
  }, 60_000);

  it('two sides for a form that can go down, one for a zero (levels: 2 below, 3 above, the lower side clipped at 0)', async () => {
    const { attacker, forms, primary } = setUp(18);
    const separator = createCutSeparator(solver, attacker, [{ ...(forms[0] as (typeof forms)[number]), value: 1 }, { ...(forms[0] as (typeof forms)[number]), value: 0 }, { ...(forms[0] as (typeof forms)[number]), value: 5 }], { lower: 2, upper: 3 }, primary);
    try {
      expect(separator.sides.map((s) => [s.form.value, s.direction, s.target])).toEqual([
        [1, 1, 4],
        [1, -1, -0],
        [0, 1, 3],
        [5, 1, 8],
        [5, -1, -3],
      ]);
      expect(separator.solves()).toBe(0);
    } finally {
      separator.dispose();
    }
  });
  it('with every cell suppressed, every upward side is met without end (unbounded: no witness, no cut)', () => {
    const { table, attacker, forms, primary } = setUp(18);
    const separator = createCutSeparator(solver, attacker, forms, LEVELS, primary);
    try {
      const everything = patternOf(table.cells.length, table.cells.keys());
      for (const side of separator.sides.filter((s) => s.direction === 1)) expect(separator.separate(side, everything)).toEqual({ met: true });
    } finally {
      separator.dispose();
    }
  });

  it('a report that publishes attendances only: participants are unknowns (free columns), and the cuts still hold', () => {
    const table = randomSmallTable(18);
    const options = { minCellSize: K, measures: ['attendances'] as const };
    const attacker = buildAttackerModel(table, options);
    const forms = findSensitiveForms(table, attacker, options);
    const primary = new Set<number>();
    table.cells.forEach((c, i) => {
      if (c.attendances > 0 && c.attendances < K) primary.add(i);
    });
    const safe = new Set(primary);
    chooseComplements(solver, attacker, forms, safe, { levels: LEVELS, cost: 'cells' });
    const separator = createCutSeparator(solver, attacker, forms, LEVELS, primary);
    try {
      const bare = patternOf(table.cells.length, primary);
      let cuts = 0;
      for (const side of separator.sides) {
        const outcome = separator.separate(side, bare);
        if (outcome.met || !outcome.cut) continue;
        cuts += 1;
        expect(valueAt(outcome.cut, bare)).toBeLessThan(1);
        expect(valueAt(outcome.cut, patternOf(table.cells.length, safe))).toBeGreaterThanOrEqual(1 - 1e-9);
      }
      expect(cuts).toBeGreaterThan(0);
    } finally {
      separator.dispose();
    }
  });
  it('with a release ledger (earlier figures: known sums with bounds other than 0), the cuts still hold', () => {
    const table = randomSmallTable(18);
    // Two earlier figures over some detailed cells (as a ledger gives them): their equations have
    // the figures' values as bounds, so the row duals' constant part is not 0.
    const detailed = table.cells.flatMap((c, i) => (c.level === 0 ? [i] : []));
    const sumOf = (cells: number[], measure: 'attendances' | 'participants') => cells.reduce((s, i) => s + (table.cells[i]?.[measure] ?? 0), 0);
    const pairs = [detailed.slice(0, 2), detailed.slice(2, 5), detailed.slice(5, 7)];
    const priorTables = [{ figures: pairs.flatMap((cells) => [{ cells, measure: 'attendances' as const, value: sumOf(cells, 'attendances') }]) }];
    const options = { ...OPTIONS, priorTables };
    const attacker = buildAttackerModel(table, options);
    const forms = findSensitiveForms(table, attacker, options);
    const primary = findSmallCells(table, K);
    const safe = new Set(primary);
    chooseComplements(solver, attacker, forms, safe, { levels: LEVELS, cost: 'cells' });
    const separator = createCutSeparator(solver, attacker, forms, LEVELS, primary);
    try {
      const n = table.cells.length;
      const random = seededRandom(11);
      const optional = [...safe].filter((c) => !primary.has(c));
      let cuts = 0;
      for (let trial = 0; trial < 4; trial++) {
        const y = patternOf(n, [...primary, ...optional.filter(() => random() < 0.4)]);
        for (const side of separator.sides) {
          const outcome = separator.separate(side, y);
          if (outcome.met) continue;
          expect(outcome.cut).toBeDefined();
          if (!outcome.cut) continue;
          cuts += 1;
          expect(valueAt(outcome.cut, y)).toBeLessThan(1);
          expect(valueAt(outcome.cut, patternOf(n, safe))).toBeGreaterThanOrEqual(1 - 1e-9);
        }
      }
      expect(cuts).toBeGreaterThan(0);
    } finally {
      separator.dispose();
    }
  });
});
