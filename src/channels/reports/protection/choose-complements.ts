import type { Highs } from 'highs';
import { columnOf, type AttackerModel } from './attacker-model.ts';
import type { ProtectionLevels, SensitiveForm, SuppressionCost } from './protection-types.ts';
import { createLinearModel, runModel } from './solve-model.ts';

/** A deviation this small is the solver's rounding, not a change the attacker could see. */
const MOVED = 1e-7;

/** How many far-apart tasks one alternative table may serve at once. */
const BATCH = 12;

/** Rows with at most this many figures are lines of the table (see the batching below). */
const SHORT_ROW = 40;

/** Move one sensitive form by `amount` in one direction. */
interface Task {
  readonly form: SensitiveForm;
  readonly direction: 1 | -1;
  readonly amount: number;
}

export interface ComplementOptions {
  readonly levels: ProtectionLevels;
  readonly cost: SuppressionCost;
  /** Added to the protection levels (a later round asks for a little more than the last). */
  readonly extra?: number;
  /** Take the forms in the order given (default: largest value first). */
  readonly keepOrder?: boolean;
  /** Cells that must stay published (their published figures cannot move). */
  readonly forbidden?: ReadonlySet<number>;
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
 * value, so the alternative stays non-negative). A cell costs 1 (plus a tenth per summed
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
    return options.cost === 'people' ? Math.max(1, people) : 1 + 0.1 * (attacker.levels[cell] ?? 0);
  };
  for (let c = 0; c < attacker.columnCount; c++) {
    upper[2 * c] = Infinity;
    upper[2 * c + 1] = attacker.values[c] ?? 0;
    if (attacker.publishedColumn[c] && options.forbidden?.has(c >> 1)) {
      upper[2 * c] = 0;
      upper[2 * c + 1] = 0;
    }
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
  const targets = Array.from({ length: BATCH }, (_, b) => rows.length + b);
  for (let b = 0; b < BATCH; b++) rows.push({ lower: -Infinity, upper: Infinity, columns: [], coefficients: [] });
  const model = createLinearModel(solver, rows, lower, upper, cost);
  const inf = solver.infinity;
  let added = 0;
  const extra = options.extra ?? 0;
  // Short rows (a line of the table and its margin) tie figures together: two tasks that share
  // one would rather move each other than be moved together, so they are not batched.
  const shortRowsOf = new Map<number, number[]>();
  attacker.rows.forEach((row, r) => {
    if (row.columns.length > SHORT_ROW) return;
    for (const c of row.columns) {
      let list = shortRowsOf.get(c);
      if (!list) shortRowsOf.set(c, (list = []));
      list.push(r);
    }
  });
  const tasks: Task[] = [];
  for (const form of options.keepOrder ? forms : [...forms].sort((a, b) => b.value - a.value)) {
    const down = Math.min(options.levels.lower, form.value);
    tasks.push({ form, direction: 1, amount: options.levels.upper + extra });
    if (down > 0) tasks.push({ form, direction: -1, amount: down + extra });
  }
  const settled = (task: Task): boolean => extra === 0 && moveOf(task.form, witnesses, task.direction) >= task.amount - MOVED;
  const solve = (batch: ReadonlyArray<Task>): boolean => {
    batch.forEach((task, b) => {
      const row = targets[b] as number;
      for (const t of task.form.terms) {
        const column = columnOf(t.cell, t.measure);
        model.changeCoefficient(row, 2 * column, t.coefficient);
        model.changeCoefficient(row, 2 * column + 1, -t.coefficient);
      }
      model.changeRowBounds(row, task.direction === 1 ? task.amount : -inf, task.direction === 1 ? inf : -task.amount);
    });
    const outcome = runModel(model);
    if (outcome.status === 'optimal') {
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
    batch.forEach((task, b) => {
      const row = targets[b] as number;
      for (const t of task.form.terms) {
        const column = columnOf(t.cell, t.measure);
        model.changeCoefficient(row, 2 * column, 0);
        model.changeCoefficient(row, 2 * column + 1, 0);
      }
      model.changeRowBounds(row, -inf, inf);
    });
    return outcome.status === 'optimal';
  };
  try {
    let pending = tasks;
    while (pending.length > 0) {
      const batch: Task[] = [];
      const taken = new Set<number>();
      const later: Task[] = [];
      for (const task of pending) {
        if (settled(task)) continue;
        const own = task.form.terms.flatMap((t) => shortRowsOf.get(columnOf(t.cell, t.measure)) ?? []);
        if (batch.length < BATCH && !own.some((r) => taken.has(r))) {
          batch.push(task);
          for (const r of own) taken.add(r);
        } else later.push(task);
      }
      if (batch.length === 0) break;
      // Together if they can be; one by one otherwise (a task that fails alone is left to the audit).
      if (!(batch.length > 1 && solve(batch))) for (const task of batch) if (!settled(task)) solve([task]);
      pending = later;
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
