import type { Highs } from 'highs';
import type { AttackerModel } from './attacker-model.ts';
import { columnOf } from './attacker-model.ts';
import type { FormAudit, ProtectionAudit, ProtectionLevels, SensitiveForm } from './protection-types.ts';
import { createLinearModel, runModel, type SolverModel } from './solve-model.ts';
import { moveOf, type Witness } from './choose-complements.ts';
import { createIntegerCheck, findIntegralNear, isIntegral, type IntegerCheck } from './integer-check.ts';

/** Slack for the solver's floating point before rounding a bound to the integer it proves. */
const TOLERANCE = 1e-6;

/**
 * The attacker's audit: for every sensitive form, minimize and maximize it over every table
 * consistent with what is published (published figures fixed, suppressed and unpublished ones
 * free and non-negative, every relation of the attacker model). Figures are integers, so the
 * linear bounds are rounded inward, [ceil(min), floor(max)]. A form is protected when its
 * interval reaches value - lower (clipped at 0) and value + upper.
 *
 * The linear relaxation can be wider than what an integer attacker proves (on 3-D tables and
 * with the relations between measures). A side counts as reached only when an integer table
 * shows it: an integral witness, an integral optimum of the linear program (or one of them
 * rounded or multiplied by 2 to 4, checked against every relation), or else the attacker's
 * integer program (HiGHS branch and bound with a node limit) finds one. When the
 * integer program finds none, or runs out of nodes, the side is not reached (fail safe: more
 * suppression, or the report is refused); `min` (or `max`) is then the first value past the
 * level, which the integer attacker proves at least.
 *
 * `witnesses` (alternative tables found while choosing complements) settle a side without a
 * solve when one is integral and already moves the form far enough: the interval then reaches
 * at least that far, which is what the guarantee needs (min and max are then what the witness
 * shows, not necessarily the attacker's tightest bound on that side).
 */
export function auditIntervals(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, suppressed: ReadonlySet<number>, levels: ProtectionLevels, witnesses: ReadonlyArray<Witness> = []): ProtectionAudit {
  const lower = new Float64Array(attacker.columnCount);
  const upper = new Float64Array(attacker.columnCount).fill(Infinity);
  for (let c = 0; c < attacker.columnCount; c++) {
    if (attacker.publishedColumn[c] && !suppressed.has(c >> 1)) {
      lower[c] = attacker.values[c] ?? 0;
      upper[c] = attacker.values[c] ?? 0;
    }
  }
  const rowsOf: number[][] = Array.from({ length: attacker.columnCount }, () => []);
  attacker.rows.forEach((row, r) => {
    for (const c of row.columns) rowsOf[c]?.push(r);
  });
  const near = (witness: Witness): Witness | undefined => (isIntegral(witness) ? witness : findIntegralNear(witness, attacker.rows, rowsOf, attacker.values));
  const integral = witnesses.flatMap((w) => near(w) ?? []);
  const results: FormAudit[] = [];
  const model = createLinearModel(solver, attacker.rows, lower, upper);
  // One objective after another on the same constraints: the simplex warm start does better
  // without presolve, and with the primal simplex (simplex_strategy 4): a new objective leaves the
  // last basis primal feasible, so the primal simplex goes on from it, where the dual simplex
  // (HiGHS's default) first has to make it dual feasible again. Only the path to the optimum
  // changes, never the optimum (the 729-cell bench table's audit: 3.1 s of CPU before, 2.1 after).
  model.options.set({ presolve: 'off', simplex_strategy: 4 });
  const integer = createIntegerCheck(solver, attacker.rows, lower, upper, attacker.values);
  try {
    for (const form of forms) {
      const min = auditSide(model, integer, attacker, form, -1, Math.max(0, form.value - levels.lower), integral, near, rowsOf, lower, upper);
      const max = auditSide(model, integer, attacker, form, 1, form.value + levels.upper, integral, near, rowsOf, lower, upper);
      const ok = min <= Math.max(0, form.value - levels.lower) && max >= form.value + levels.upper;
      results.push({ form, min: min + 0, max: max + 0, protected: ok });
    }
  } finally {
    integer.dispose();
    model.dispose();
  }
  return { passed: results.every((r) => r.protected), forms: results };
}

/**
 * One side of a form's interval: the bound an integer attacker proves (when the side reaches
 * `need`, a bound at or past it). Adds the integer tables it finds to `integral`.
 */
function auditSide(model: SolverModel, integer: IntegerCheck, attacker: AttackerModel, form: SensitiveForm, direction: 1 | -1, need: number, integral: Witness[], near: (witness: Witness) => Witness | undefined, rowsOf: ReadonlyArray<ReadonlyArray<number>>, lower: Float64Array, upper: Float64Array): number {
  const moved = moveOf(form, integral, direction);
  if (direction * (form.value + direction * moved - need) >= -TOLERANCE) return direction === 1 ? Math.floor(form.value + moved + TOLERANCE) : Math.ceil(form.value - moved - TOLERANCE);
  const columns = form.terms.map((t) => columnOf(t.cell, t.measure));
  const terms = form.terms.map((t, j) => ({ column: columns[j] as number, coefficient: t.coefficient }));
  const focus = [2, 4].map((hops) => neighbourhood(columns, attacker, rowsOf, lower, upper, hops));
  // An integer table near the form first (small integer programs, much cheaper than the linear
  // program over the whole table): it settles the side at once.
  const quick = integer.reaches(terms, direction, need, focus, false);
  if (quick.reached) {
    integral.push(quick.witness);
    return direction === 1 ? form.value + moveOf(form, [quick.witness], 1) : form.value - moveOf(form, [quick.witness], -1);
  }
  // Minimize the form for the lower side (cost +1), maximize it for the upper side (cost -1).
  const sense = direction === 1 ? -1 : 1;
  columns.forEach((c, j) => model.changeColCost(c, sense * (form.terms[j]?.coefficient ?? 0)));
  try {
    const outcome = runModel(model);
    if (outcome.status === 'unbounded') return direction === 1 ? Infinity : -Infinity;
    if (outcome.status === 'infeasible') throw new Error('the published figures are inconsistent with the table (attacker model infeasible)');
    const optimum = sense * outcome.value;
    const bound = direction === 1 ? Math.floor(optimum + TOLERANCE) : Math.ceil(optimum - TOLERANCE);
    // Short of the level even fractionally: an integer attacker proves at least as much.
    if (direction * (bound - need) < 0) return bound;
    const x = model.getSolution().colValue;
    const witness = new Map<number, number>();
    for (let c = 0; c < attacker.columnCount; c++) {
      const delta = (x[c] ?? 0) - (attacker.values[c] ?? 0);
      if (Math.abs(delta) > TOLERANCE) witness.set(c, delta);
    }
    const whole = near(witness);
    if (whole && moveOf(form, [whole], direction) >= direction * (need - form.value) - TOLERANCE) {
      integral.push(whole);
      return bound;
    }
    // The neighbourhoods were tried already: the whole table now.
    const check = integer.reaches(terms, direction, need);
    if (check.reached) {
      integral.push(check.witness);
      return bound;
    }
    return need - direction;
  } finally {
    for (const c of columns) model.changeColCost(c, 0);
  }
}

/** Rows with at most this many figures are lines of the table (a cell, its line and margin). */
const SHORT_ROW = 40;

/**
 * The free figures within `hops` lines of the form's cells (the cells an alternative table moves
 * first): the integer program is tried on these alone (two lines, then four) before the whole
 * table.
 */
function neighbourhood(columns: ReadonlyArray<number>, attacker: AttackerModel, rowsOf: ReadonlyArray<ReadonlyArray<number>>, lower: Float64Array, upper: Float64Array, hops: number): Set<number> {
  let cells = new Set(columns.map((c) => c >> 1));
  for (let hop = 0; hop < hops; hop++) {
    const next = new Set(cells);
    for (const cell of cells) {
      for (const c of [2 * cell, 2 * cell + 1]) {
        for (const r of rowsOf[c] ?? []) {
          const row = attacker.rows[r];
          if (!row || row.columns.length > SHORT_ROW) continue;
          for (const other of row.columns) if ((lower[other] ?? 0) !== (upper[other] ?? 0)) next.add(other >> 1);
        }
      }
    }
    cells = next;
  }
  const free = new Set<number>();
  for (const cell of cells) for (const c of [2 * cell, 2 * cell + 1]) if ((lower[c] ?? 0) !== (upper[c] ?? 0)) free.add(c);
  return free;
}
