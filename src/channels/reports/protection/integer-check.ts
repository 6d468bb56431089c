import type { Highs } from 'highs';
import type { ModelRow } from './attacker-model.ts';
import { createLinearModel, type SolverModel } from './solve-model.ts';
import type { Witness } from './choose-complements.ts';

/** Branch-and-bound nodes one check may use (a fixed limit, so the outcome does not depend on the machine's speed). */
const MAX_NODES = 2000;

/** A backstop on one check's time; reaching it (or the node limit) counts as "not shown". */
const TIME_LIMIT_SECONDS = 10;

/** Slack for the solver's floating point. */
const TOLERANCE = 1e-6;

export type IntegerOutcome = { readonly reached: true; readonly witness: Witness } | { readonly reached: false; readonly proven: boolean };

export interface IntegerCheck {
  /**
   * Is there an integer table the attacker cannot tell from the true one (published figures
   * fixed, every relation, non-negative integers) in which the form is at most `bound`
   * (direction -1) or at least `bound` (direction 1)? `proven` tells "no such table" from "not
   * found within the node limit"; both count as not reached (fail safe). `focus`: sets of
   * figures to try alone first (the others pinned at their true values); `whole: false` stops
   * there.
   */
  reaches(terms: ReadonlyArray<{ readonly column: number; readonly coefficient: number }>, direction: 1 | -1, bound: number, focus?: ReadonlyArray<ReadonlySet<number>>, whole?: boolean): IntegerOutcome;
  dispose(): void;
}

/**
 * The attacker's integer program (the audit's linear program with every figure an integer), for
 * the sides of an interval the linear relaxation shows only fractionally. One extra row holds the
 * form and its bound; the objective is zero, so the first integer table found ends the search.
 */
export function createIntegerCheck(solver: Highs, rows: ReadonlyArray<ModelRow>, lower: Float64Array, upper: Float64Array, values: Float64Array): IntegerCheck {
  let model: SolverModel | undefined;
  const formRow = rows.length;
  let previous: ReadonlyArray<number> = [];
  const freeColumns: number[] = [];
  for (let c = 0; c < lower.length; c++) if ((lower[c] ?? 0) !== (upper[c] ?? 0)) freeColumns.push(c);
  const runOnce = (m: SolverModel): IntegerOutcome => {
    m.run();
    const status = m.getModelStatus();
    if (status === 8) return { reached: false, proven: true };
    // A limit reached with an integer table in hand is still an answer.
    const found = status === 7 || Number(m.info.get('primal_solution_status')) === 2;
    if (!found) return { reached: false, proven: false };
    const x = m.getSolution().colValue;
    const witness = new Map<number, number>();
    for (let c = 0; c < lower.length; c++) {
      const delta = Math.round(x[c] ?? 0) - (values[c] ?? 0);
      if (delta !== 0) witness.set(c, delta);
    }
    return { reached: true, witness };
  };
  const open = (): SolverModel => {
    if (model) return model;
    const created = createLinearModel(solver, [...rows, { lower: -Infinity, upper: Infinity, columns: [], coefficients: [] }], lower, upper);
    created.changeColsIntegrality({ kind: 'range', from: 0, to: lower.length - 1 }, new Int32Array(lower.length).fill(1));
    created.options.set({ mip_max_nodes: MAX_NODES, time_limit: TIME_LIMIT_SECONDS });
    model = created;
    return created;
  };
  return {
    reaches(terms, direction, bound, focus, whole = true) {
      const m = open();
      const inf = solver.infinity;
      for (const column of previous) m.changeCoefficient(formRow, column, 0);
      for (const t of terms) m.changeCoefficient(formRow, t.column, t.coefficient);
      previous = terms.map((t) => t.column);
      m.changeRowBounds(formRow, direction === 1 ? bound - TOLERANCE : -inf, direction === 1 ? inf : bound + TOLERANCE);
      // First with only the figures near the form left free (small programs; any table they find
      // is one the attacker cannot tell apart), then with every figure free.
      for (const only of focus ?? []) {
        const pinned = freeColumns.filter((c) => !only.has(c));
        if (pinned.length === 0 || only.size === 0) continue;
        const indices = Int32Array.from(pinned);
        const at = Float64Array.from(pinned, (c) => values[c] ?? 0);
        m.changeColsBounds({ kind: 'set', indices }, at, at);
        const outcome = runOnce(m);
        m.changeColsBounds({ kind: 'set', indices }, Float64Array.from(pinned, (c) => lower[c] ?? 0), Float64Array.from(pinned, (c) => ((upper[c] ?? 0) === Infinity ? inf : (upper[c] ?? 0))));
        if (outcome.reached) return outcome;
      }
      return whole ? runOnce(m) : { reached: false, proven: false };
    },
    dispose() {
      model?.dispose();
    },
  };
}

/** Is every move of the witness a whole number (an integer alternative table)? */
export function isIntegral(witness: Witness): boolean {
  for (const delta of witness.values()) if (Math.abs(delta - Math.round(delta)) > TOLERANCE) return false;
  return true;
}

/**
 * An integer alternative table near a fractional one, when a cheap try finds one: the witness
 * rounded, or multiplied by 2, 3 or 4 (a move of half a unit twice over), checked against every
 * relation the moved figures take part in and non-negativity. Undefined when none holds (the
 * integer program is then asked). `rowsOf` lists, for each column, the rows it appears in.
 */
export function findIntegralNear(witness: Witness, rows: ReadonlyArray<ModelRow>, rowsOf: ReadonlyArray<ReadonlyArray<number>>, values: Float64Array): Witness | undefined {
  const candidates: Array<Map<number, number>> = [];
  const rounded = new Map<number, number>();
  for (const [c, d] of witness) if (Math.round(d) !== 0) rounded.set(c, Math.round(d));
  candidates.push(rounded);
  for (const k of [2, 3, 4]) {
    const scaled = new Map<number, number>();
    let whole = true;
    for (const [c, d] of witness) {
      const v = k * d;
      if (Math.abs(v - Math.round(v)) > TOLERANCE) {
        whole = false;
        break;
      }
      if (Math.round(v) !== 0) scaled.set(c, Math.round(v));
    }
    if (whole) candidates.push(scaled);
  }
  for (const candidate of candidates) if (candidate.size > 0 && holds(candidate, rows, rowsOf, values)) return candidate;
  return undefined;
}

function holds(witness: ReadonlyMap<number, number>, rows: ReadonlyArray<ModelRow>, rowsOf: ReadonlyArray<ReadonlyArray<number>>, values: Float64Array): boolean {
  const checked = new Set<number>();
  for (const [c, d] of witness) {
    if ((values[c] ?? 0) + d < 0) return false;
    for (const r of rowsOf[c] ?? []) {
      if (checked.has(r)) continue;
      checked.add(r);
      const row = rows[r] as ModelRow;
      let at = 0;
      row.columns.forEach((column, j) => (at += (row.coefficients[j] ?? 0) * ((values[column] ?? 0) + (witness.get(column) ?? 0))));
      if (at < row.lower - TOLERANCE || at > row.upper + TOLERANCE) return false;
    }
  }
  return true;
}
