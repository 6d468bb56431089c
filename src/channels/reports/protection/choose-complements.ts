import type { Highs } from 'highs';
import { columnOf, type AttackerModel } from './attacker-model.ts';
import type { ProtectionLevels, SensitiveForm, SuppressionCost } from './protection-types.ts';
import { createLinearModel, runModel } from './solve-model.ts';

/** A deviation this small is the solver's rounding, not a change the attacker could see. */
const MOVED = 1e-7;

export interface ComplementOptions {
  readonly levels: ProtectionLevels;
  readonly cost: SuppressionCost;
  /** Added to the protection levels (a later round asks for a little more than the last). */
  readonly extra?: number;
}

/**
 * Complementary suppression by cost (the classic deviation-LP heuristic): for each sensitive
 * form and each direction, find the cheapest alternative table the attacker could not tell
 * from the true one (same relations, non-negative, differing from the truth only in figures
 * that are suppressed) in which the form moves by its protection level; the published figures
 * that had to move are suppressed, and suppressed figures then cost nothing for the next form.
 * Suppressing more only widens every interval, so earlier forms stay protected.
 *
 * Columns: for each figure c of the attacker model, d+ at 2c and d- at 2c+1 (d- <= the true
 * value, so the alternative stays non-negative). A cell costs 1 (plus a hundredth per summed
 * dimension, so detailed cells are preferred to margins) or its number of people.
 * Mutates `suppressed`; returns how many cells it added.
 */
export function chooseComplements(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, suppressed: Set<number>, options: ComplementOptions, witnesses: Witness[] = []): number {
  const columns = 2 * attacker.columnCount;
  const lower = new Float64Array(columns);
  const upper = new Float64Array(columns);
  const cost = new Float64Array(columns);
  const cellCost = (cell: number): number => {
    const people = attacker.values[columnOf(cell, 'participants')] ?? 0;
    return options.cost === 'people' ? Math.max(1, people) : 1 + 0.01 * (attacker.levels[cell] ?? 0);
  };
  for (let c = 0; c < attacker.columnCount; c++) {
    upper[2 * c] = Infinity;
    upper[2 * c + 1] = attacker.values[c] ?? 0;
    const open = !attacker.publishedColumn[c] || suppressed.has(c >> 1);
    const price = open ? 0 : cellCost(c >> 1);
    cost[2 * c] = price;
    cost[2 * c + 1] = price;
  }
  const rows = attacker.rows.map((row) => {
    let at = 0;
    row.columns.forEach((c, j) => (at += (row.coefficients[j] ?? 0) * (attacker.values[c] ?? 0)));
    const plus = row.columns.map((c) => 2 * c);
    const minus = row.columns.map((c) => 2 * c + 1);
    return { lower: row.lower - at, upper: row.upper - at, columns: [...plus, ...minus], coefficients: [...row.coefficients, ...row.coefficients.map((v) => -v)] };
  });
  const target = rows.length;
  rows.push({ lower: -Infinity, upper: Infinity, columns: [], coefficients: [] });
  const model = createLinearModel(solver, rows, lower, upper, cost);
  const inf = solver.infinity;
  let added = 0;
  const extra = options.extra ?? 0;
  try {
    for (const form of [...forms].sort((a, b) => b.value - a.value)) {
      const terms = form.terms.map((t) => ({ column: columnOf(t.cell, t.measure), coefficient: t.coefficient }));
      for (const t of terms) {
        model.changeCoefficient(target, 2 * t.column, t.coefficient);
        model.changeCoefficient(target, 2 * t.column + 1, -t.coefficient);
      }
      const down = Math.min(options.levels.lower, form.value);
      const directions: Array<[number, number]> = [];
      if (extra > 0 || moveOf(form, witnesses, 1) < options.levels.upper) directions.push([options.levels.upper + extra, inf]);
      if (down > 0 && (extra > 0 || moveOf(form, witnesses, -1) < down)) directions.push([-inf, -(down + extra)]);
      for (const [from, to] of directions) {
        model.changeRowBounds(target, from, to);
        const outcome = runModel(model);
        if (outcome.status !== 'optimal') continue; // cannot be protected this way: the audit says so
        const moved = model.getSolution().colValue;
        const witness = new Map<number, number>();
        for (let c = 0; c < attacker.columnCount; c++) {
          const delta = (moved[2 * c] ?? 0) - (moved[2 * c + 1] ?? 0);
          if (Math.abs(delta) > MOVED) witness.set(c, delta);
          const cell = c >> 1;
          if (suppressed.has(cell) || !attacker.publishedColumn[c]) continue;
          if ((moved[2 * c] ?? 0) > MOVED || (moved[2 * c + 1] ?? 0) > MOVED) {
            suppressed.add(cell);
            added += 1;
            for (const m of [2 * cell, 2 * cell + 1]) {
              model.changeColCost(2 * m, 0);
              model.changeColCost(2 * m + 1, 0);
            }
          }
        }
        witnesses.push(witness);
      }
      for (const t of terms) {
        model.changeCoefficient(target, 2 * t.column, 0);
        model.changeCoefficient(target, 2 * t.column + 1, 0);
      }
      model.changeRowBounds(target, -inf, inf);
    }
  } finally {
    model.dispose();
  }
  return added;
}

/**
 * An alternative table the attacker cannot tell from the true one: the change of each figure
 * (by attacker-model column) that moves. It stays indistinguishable as suppression grows.
 */
export type Witness = ReadonlyMap<number, number>;

/** The largest move of a form, in one direction (1 up, -1 down), over the known witnesses. */
export function moveOf(form: SensitiveForm, witnesses: ReadonlyArray<Witness>, direction: 1 | -1): number {
  let best = 0;
  for (const witness of witnesses) {
    let move = 0;
    for (const t of form.terms) move += t.coefficient * (witness.get(columnOf(t.cell, t.measure)) ?? 0);
    if (direction * move > best) best = direction * move;
  }
  return best;
}
