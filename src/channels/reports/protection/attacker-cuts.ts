import type { Highs } from 'highs';
import { columnOf, type AttackerModel } from './attacker-model.ts';
import type { ProtectionLevels, SensitiveForm } from './protection-types.ts';
import { createLinearModel } from './solve-model.ts';
import type { Witness } from './choose-complements.ts';

/** Slack for the solver's floating point. */
const TOLERANCE = 1e-6;

/** One side of one sensitive form: the form must reach `target` (its value moved by the protection level). */
export interface Side {
  readonly form: SensitiveForm;
  readonly direction: 1 | -1;
  /** direction * (the value the form must reach): the least the maximized objective may be. */
  readonly target: number;
}

/** A cover inequality over the cells: the sum of weights over suppressed cells is at least 1. */
export interface Cut {
  readonly cells: ReadonlyArray<number>;
  readonly weights: ReadonlyArray<number>;
}

export type Separation = { readonly met: true; readonly witness?: Witness } | { readonly met: false; readonly cut?: Cut };

export interface CutSeparator {
  /** Both sides of every sensitive form (the lower one only when the form can go down). */
  readonly sides: ReadonlyArray<Side>;
  /**
   * One side on a pattern y (per cell, 1 suppressed, 0 published, or between in a relaxation):
   * met (with the alternative table that shows it, when the maximum is finite), or not met with
   * a cut that y violates (none when the duals give no finite bound).
   */
  separate(side: Side, y: Float64Array): Separation;
  /** Linear programs solved so far. */
  readonly solves: () => number;
  dispose(): void;
}

/**
 * Benders cuts from the attacker's linear programs (after Fischetti and Salazar): for a pattern
 * y, a side is the linear program that maximizes direction * form over the tables the attacker
 * cannot tell apart, each published figure of cell i bounded by [v (1 - y_i), v + M y_i] (its
 * value v when published, free and non-negative when suppressed; at y_i = 1 exactly the bound is
 * infinite). When the maximum falls short of the target, the row duals give a bound on the
 * maximum that is affine in y and holds for every y (weak duality, see cutFrom): requiring it to
 * reach the target is a cut that y violates. It holds for every pattern that protects the side
 * with moves of at most M (twice the table's total attendances plus the levels), which is what a
 * protection level of a few units needs; a cut made too strong by M could only cost optimality,
 * never protection: a pattern is accepted on the linear programs with suppressed figures free,
 * and then on the integer audit. Small cells (`primary`) are always suppressed: their terms are
 * constants. Pure apart from the solver; dispose() frees its model.
 */
export function createCutSeparator(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, levels: ProtectionLevels, primary: ReadonlySet<number>): CutSeparator {
  const sides: Side[] = [];
  for (const form of forms) {
    sides.push({ form, direction: 1, target: form.value + levels.upper });
    const down = Math.min(levels.lower, form.value);
    if (down > 0) sides.push({ form, direction: -1, target: -(form.value - down) });
  }
  let total = 0;
  for (let c = 0; c < attacker.columnCount; c += 2) if ((attacker.levels[c >> 1] ?? 0) === 0) total += attacker.values[c] ?? 0;
  const bigM = 2 * total + levels.upper + levels.lower + 1;

  const lower = new Float64Array(attacker.columnCount);
  const upper = new Float64Array(attacker.columnCount).fill(Infinity);
  const sub = createLinearModel(solver, attacker.rows, lower, upper);
  // One objective after another on changed bounds: warm starts do better without presolve, and
  // the duals are then those of the model as written.
  sub.options.set({ presolve: 'off' });
  const inf = solver.infinity;
  /** Bounds of the published figures for a pattern y (by cell). */
  let current: Float64Array | undefined;
  const setPattern = (y: Float64Array): void => {
    if (current && current.length === y.length && current.every((v, i) => v === y[i])) return;
    current = Float64Array.from(y);
    for (let c = 0; c < attacker.columnCount; c++) {
      if (!attacker.publishedColumn[c]) continue;
      const v = attacker.values[c] ?? 0;
      const share = y[c >> 1] ?? 0;
      lower[c] = v * (1 - share);
      upper[c] = share >= 1 - TOLERANCE ? Infinity : v + bigM * share;
      sub.changeColBounds(c, lower[c] ?? 0, upper[c] === Infinity ? inf : (upper[c] ?? 0));
    }
  };
  let solves = 0;
  /** One side on the pattern set: a witness when it is met, a cut when it is not (undefined: no valid cut). */
  const separate = (side: Side, y: Float64Array): Separation => {
    solves += 1;
    setPattern(y);
    const columns = side.form.terms.map((t) => columnOf(t.cell, t.measure));
    // Minimize -direction * form.
    const cost = new Float64Array(attacker.columnCount);
    side.form.terms.forEach((t, j) => (cost[columns[j] as number] = (cost[columns[j] as number] ?? 0) - side.direction * t.coefficient));
    for (const c of columns) sub.changeColCost(c, cost[c] ?? 0);
    try {
      sub.run();
      const status = sub.getModelStatus();
      if (status === 10 || status === 9) return { met: true };
      if (status !== 7) return { met: false };
      const reached = -sub.getObjectiveValue();
      const solution = sub.getSolution();
      if (reached >= side.target - TOLERANCE) {
        const witness = new Map<number, number>();
        for (let c = 0; c < attacker.columnCount; c++) {
          const delta = (solution.colValue[c] ?? 0) - (attacker.values[c] ?? 0);
          if (Math.abs(delta) > TOLERANCE) witness.set(c, delta);
        }
        return { met: true, witness };
      }
      const cut = cutFrom(solution.rowDual, cost, side.target);
      // A cut the pattern at hand does not violate makes no progress.
      if (!cut) return { met: false };
      let at = 0;
      cut.cells.forEach((cell, j) => (at += (cut.weights[j] ?? 0) * (y[cell] ?? 0)));
      return at < 1 - 1e-7 ? { met: false, cut } : { met: false };
    } finally {
      for (const c of columns) sub.changeColCost(c, 0);
    }
  };
  /**
   * Weak duality for min cost.x over lo <= A x <= hi, l <= x <= u: with any row multipliers p and
   * reduced costs r = cost - A^T p, cost.x >= sum(p_r > 0 ? p_r lo_r : p_r hi_r) + sum(r_c > 0 ?
   * r_c l_c : r_c u_c). With l and u affine in y, the bound is affine in y; -bound <= -target
   * must hold for every pattern that protects the side.
   */
  const cutFrom = (rowDual: Float64Array, cost: Float64Array, target: number): Cut | undefined => {
    const reduced = Float64Array.from(cost);
    let constant = 0;
    for (let r = 0; r < attacker.rows.length; r++) {
      const p = rowDual[r] ?? 0;
      if (Math.abs(p) <= 1e-9) continue;
      const row = attacker.rows[r];
      if (!row) continue;
      const bound = p > 0 ? row.lower : row.upper;
      if (!Number.isFinite(bound)) return undefined;
      constant += p * bound;
      row.columns.forEach((c, j) => (reduced[c] = (reduced[c] ?? 0) - p * (row.coefficients[j] ?? 0)));
    }
    const weight = new Map<number, number>();
    for (let c = 0; c < attacker.columnCount; c++) {
      const r = reduced[c] ?? 0;
      if (Math.abs(r) <= 1e-9) continue;
      if (!attacker.publishedColumn[c]) {
        // Free, non-negative: a negative reduced cost on an unbounded column gives no bound.
        if (r < 0) return undefined;
        continue;
      }
      const cell = c >> 1;
      const v = attacker.values[c] ?? 0;
      // Lower bound v (1 - y), upper bound v + M y: the constant part, and the part in y.
      constant += r * v;
      const inY = r > 0 ? -r * v : r * bigM;
      if (primary.has(cell)) constant += inY;
      else weight.set(cell, (weight.get(cell) ?? 0) - inY);
    }
    // -(constant - sum w y) >= target, that is sum w y >= constant + target.
    const need = constant + target;
    if (need <= TOLERANCE) return undefined;
    const cells: number[] = [];
    const weights: number[] = [];
    for (const [cell, w] of [...weight].sort((a, b) => a[0] - b[0])) {
      if (w <= 0) continue;
      cells.push(cell);
      // A binary y: a weight above what is needed helps no more than the need itself.
      weights.push(Math.min(1, w / need));
    }
    return { cells, weights };
  };

  return { sides, separate, solves: () => solves, dispose: () => sub.dispose() };
}
