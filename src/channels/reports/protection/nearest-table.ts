import type { Highs } from 'highs';
import type { ModelRow } from './attacker-model.ts';
import type { Witness } from './choose-complements.ts';
import { createLinearModel, runModel, type SolverModel } from './solve-model.ts';

/** A move this small is the solver's rounding, not a change of the table. */
const MOVED = 1e-7;

export interface NearestTable {
  /**
   * The alternative table nearest the true one (fewest units moved over all figures) in which the
   * form is at least `bound` (direction 1) or at most `bound` (direction -1), as the move of each
   * figure; undefined when no table reaches it, not even fractionally.
   */
  find(terms: ReadonlyArray<{ readonly column: number; readonly coefficient: number }>, direction: 1 | -1, bound: number): Witness | undefined;
  dispose(): void;
}

/**
 * The audit's search for an integer table that moves a form far enough, by linear programming:
 * maximizing the form (the audit's own linear program) ends at a vertex that moves nearly every
 * free figure by fractions, which no rounding turns into a table; the nearest table that moves
 * the form just far enough moves few figures, by whole units wherever the relations are those of
 * a table's sums (a year linked with its twelve months: 25 of the 26 sides that needed the
 * attacker's integer program before). Whatever it finds is checked like any witness
 * (findIntegralNear); a fractional one settles nothing.
 *
 * Columns: for each free figure c (lower < upper), its move up at 2k and down at 2k+1 (k its
 * rank among the free figures), each costing 1 a unit, within the figure's bounds; fixed figures
 * do not move. Rows: each relation with a free figure, as bounds on the moves; one more row holds
 * the form. Built on first use (one persistent model, warm-started from one form to the next).
 */
export function createNearestTable(solver: Highs, rows: ReadonlyArray<ModelRow>, lower: Float64Array, upper: Float64Array, values: Float64Array): NearestTable {
  let model: SolverModel | undefined;
  const rank = new Int32Array(lower.length).fill(-1);
  const free: number[] = [];
  for (let c = 0; c < lower.length; c++) {
    if ((lower[c] ?? 0) === (upper[c] ?? 0)) continue;
    rank[c] = free.length;
    free.push(c);
  }
  let targetRow = -1;
  let previous: number[] = [];
  const open = (): SolverModel => {
    if (model) return model;
    const moves: ModelRow[] = [];
    for (const row of rows) {
      let at = 0;
      const columns: number[] = [];
      const coefficients: number[] = [];
      row.columns.forEach((c, j) => {
        const coefficient = row.coefficients[j] ?? 0;
        const k = rank[c] ?? -1;
        if (k < 0) {
          at += coefficient * (lower[c] ?? 0);
          return;
        }
        at += coefficient * (values[c] ?? 0);
        columns.push(2 * k, 2 * k + 1);
        coefficients.push(coefficient, -coefficient);
      });
      if (columns.length > 0) moves.push({ lower: row.lower - at, upper: row.upper - at, columns, coefficients });
    }
    targetRow = moves.length;
    moves.push({ lower: -Infinity, upper: Infinity, columns: [], coefficients: [] });
    const colLower = new Float64Array(2 * free.length);
    const colUpper = new Float64Array(2 * free.length);
    free.forEach((c, k) => {
      colUpper[2 * k] = (upper[c] ?? 0) - (values[c] ?? 0);
      colUpper[2 * k + 1] = (values[c] ?? 0) - (lower[c] ?? 0);
    });
    model = createLinearModel(solver, moves, colLower, colUpper, new Float64Array(2 * free.length).fill(1));
    // One form after another on the same rows: warm starts do better without presolve.
    model.options.set({ presolve: 'off' });
    return model;
  };
  return {
    find(terms, direction, bound) {
      const m = open();
      const inf = solver.infinity;
      for (const column of previous) m.changeCoefficient(targetRow, column, 0);
      previous = [];
      let at = 0;
      for (const t of terms) {
        at += t.coefficient * (values[t.column] ?? 0);
        const k = rank[t.column] ?? -1;
        if (k < 0) continue;
        m.changeCoefficient(targetRow, 2 * k, t.coefficient);
        m.changeCoefficient(targetRow, 2 * k + 1, -t.coefficient);
        previous.push(2 * k, 2 * k + 1);
      }
      const need = bound - at;
      m.changeRowBounds(targetRow, direction === 1 ? need : -inf, direction === 1 ? inf : need);
      if (runModel(m).status !== 'optimal') return undefined;
      const x = m.getSolution().colValue;
      const witness = new Map<number, number>();
      free.forEach((c, k) => {
        const delta = (x[2 * k] ?? 0) - (x[2 * k + 1] ?? 0);
        if (Math.abs(delta) > MOVED) witness.set(c, delta);
      });
      return witness;
    },
    dispose() {
      model?.dispose();
    },
  };
}
