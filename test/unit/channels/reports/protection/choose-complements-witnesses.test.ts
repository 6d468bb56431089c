import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAttackerModel, chooseComplements, findSensitiveForms, loadSolver, type SensitiveForm } from '../../../../../src/channels/reports/protection/index.ts';
import type { AttackerModel } from '../../../../../src/channels/reports/protection/attacker-model.ts';
import { moveOf, type Witness } from '../../../../../src/channels/reports/protection/choose-complements.ts';
import { buildTestTable, randomVisits, seededRandom } from '../../../../helpers/report-tables.ts';

// The alternative tables chooseComplements finds are its promise (README, Grant reports: "the
// cheapest alternative table the attacker cannot tell from the true one ... the published figures
// it moves are suppressed"): each must be a table the attacker really cannot tell apart (every
// relation holds, nothing negative, no published figure moved), and each form must move by its
// level. Checked here directly on the tables, whatever the solver's path.
let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

const OPTIONS = { minCellSize: 11, measures: ['participants', 'attendances'] as const };
const LEVELS = { lower: 1, upper: 1 };

function setUp(sizes: number[], seed: number) {
  const random = seededRandom(seed);
  const people = Math.round(sizes.reduce((a, b) => a * b, 1) * (3 + random() * 8));
  const table = buildTestTable(sizes, randomVisits(sizes, people, random));
  const model = buildAttackerModel(table, OPTIONS);
  const forms = findSensitiveForms(table, model, OPTIONS);
  const primary = new Set<number>();
  table.cells.forEach((c, i) => {
    if (OPTIONS.measures.some((m) => c[m] > 0 && c[m] < OPTIONS.minCellSize)) primary.add(i);
  });
  return { table, model, forms, primary };
}

/** The table the witness describes is one the attacker cannot tell from the true one. */
function expectIndistinguishable(model: AttackerModel, suppressed: ReadonlySet<number>, witness: Witness): void {
  const at = (c: number): number => (model.values[c] ?? 0) + (witness.get(c) ?? 0);
  for (const [c, delta] of witness) {
    expect(at(c), `figure ${c} stays non-negative`).toBeGreaterThanOrEqual(-1e-6);
    if (model.publishedColumn[c] && !suppressed.has(c >> 1)) expect(Math.abs(delta), `published figure ${c} does not move`).toBeLessThanOrEqual(1e-6);
  }
  for (const row of model.rows) {
    const sum = row.columns.reduce((s, c, j) => s + (row.coefficients[j] ?? 0) * at(c), 0);
    expect(sum).toBeGreaterThanOrEqual(row.lower - 1e-6);
    expect(sum).toBeLessThanOrEqual(row.upper + 1e-6);
  }
}

/** Every form moves up by its level plus `extra`, and down by its level (a figure cannot go below 0, so no extra is asked of the lower side here). */
function expectMoves(forms: ReadonlyArray<SensitiveForm>, witnesses: ReadonlyArray<Witness>, extra: number): void {
  for (const form of forms) {
    expect(moveOf(form, witnesses, 1), `form ${JSON.stringify(form.terms)} up`).toBeGreaterThanOrEqual(LEVELS.upper + extra - 1e-6);
    const down = Math.min(LEVELS.lower, form.value);
    if (down > 0 && extra === 0) expect(moveOf(form, witnesses, -1), `form ${JSON.stringify(form.terms)} down`).toBeGreaterThanOrEqual(down - 1e-6);
  }
}

describe('chooseComplements: the alternative tables it finds', () => {
  it.each([
    ['a 4x5 table', [4, 5], 1],
    ['a 2x2x3 table (3-D: the relaxation is not integral)', [2, 2, 3], 8],
    ['a 2x3x3 table', [2, 3, 3], 4],
    ['a 6x8 table (more forms than one batch)', [6, 8], 2],
  ])('%s: every witness is a table the attacker cannot tell apart, and every form moves by its level both ways', (_name, sizes, seed) => {
    const { model, forms, primary } = setUp(sizes, seed);
    expect(forms.length).toBeGreaterThan(0);
    const suppressed = new Set(primary);
    const witnesses: Witness[] = [];
    const added = chooseComplements(solver, model, forms, suppressed, { levels: LEVELS, cost: 'cells' }, witnesses);
    expect(added, 'the count returned is the cells added').toBe(suppressed.size - primary.size);
    for (const witness of witnesses) expectIndistinguishable(model, suppressed, witness);
    expectMoves(forms, witnesses, 0);
  });

  it('asked for more (a repair round\'s extra half unit), it moves every form that much further up', () => {
    const { model, forms, primary } = setUp([2, 2, 3], 8);
    const suppressed = new Set(primary);
    const witnesses: Witness[] = [];
    chooseComplements(solver, model, forms, suppressed, { levels: LEVELS, cost: 'cells', extra: 0.5 }, witnesses);
    for (const witness of witnesses) expectIndistinguishable(model, suppressed, witness);
    expectMoves(forms, witnesses, 0.5);
  });

  it('a forbidden cell is never suppressed and never moved', () => {
    const { model, forms, primary } = setUp([2, 2, 3], 8);
    const free = new Set(primary);
    chooseComplements(solver, model, forms, free, { levels: LEVELS, cost: 'cells' }, []);
    const complement = [...free].find((cell) => !primary.has(cell));
    expect(complement).toBeDefined();
    const suppressed = new Set(primary);
    const witnesses: Witness[] = [];
    chooseComplements(solver, model, forms, suppressed, { levels: LEVELS, cost: 'cells', forbidden: new Set([complement as number]) }, witnesses);
    expect(suppressed.has(complement as number)).toBe(false);
    for (const witness of witnesses) {
      expect(witness.get(2 * (complement as number)) ?? 0).toBe(0);
      expect(witness.get(2 * (complement as number) + 1) ?? 0).toBe(0);
      expectIndistinguishable(model, suppressed, witness);
    }
  });

  it('forms already moved far enough by known tables cost nothing: no cell is added and no table found', () => {
    const { model, forms, primary } = setUp([4, 5], 1);
    const suppressed = new Set(primary);
    const witnesses: Witness[] = [];
    chooseComplements(solver, model, forms, suppressed, { levels: LEVELS, cost: 'cells' }, witnesses);
    const again = new Set(suppressed);
    const more = [...witnesses];
    expect(chooseComplements(solver, model, forms, again, { levels: LEVELS, cost: 'cells' }, more)).toBe(0);
    expect(again).toEqual(suppressed);
    expect(more).toHaveLength(witnesses.length);
  });

  it('by people, a cell with many people is avoided where a cheaper one does: never more people than by cells', () => {
    const { table, model, forms, primary } = setUp([4, 5], 6);
    const people = (cells: ReadonlySet<number>): number => [...cells].reduce((s, i) => s + (table.cells[i]?.participants ?? 0), 0);
    const byPeople = new Set(primary);
    chooseComplements(solver, model, forms, byPeople, { levels: LEVELS, cost: 'people' }, []);
    const byCells = new Set(primary);
    chooseComplements(solver, model, forms, byCells, { levels: LEVELS, cost: 'cells' }, []);
    expect(people(byPeople)).toBeLessThanOrEqual(people(byCells));
  });
});

describe('moveOf', () => {
  const form: SensitiveForm = { kind: 'implied-group', terms: [{ cell: 0, measure: 'participants', coefficient: 1 }, { cell: 1, measure: 'participants', coefficient: -1 }], value: 3 };
  it.each([
    ['no tables: no move', [], 1, 0],
    ['the largest move up over the tables (the form is margin minus part)', [new Map([[1, 2]]), new Map([[1, 5], [3, 1]])], 1, 4],
    ['down: the largest move down, as a positive amount', [new Map([[3, 2]]), new Map([[1, 1], [3, 4]])], -1, 3],
    ['a table that moves it the other way is no move in this direction', [new Map([[1, -2]])], 1, 0],
    ['attendances of the same cells do not move a participants form', [new Map([[0, 5], [2, 5]])], 1, 0],
  ] as const)('%s', (_name, witnesses, direction, expected) => {
    expect(moveOf(form, witnesses as ReadonlyArray<Witness>, direction)).toBe(expected);
  });
});
