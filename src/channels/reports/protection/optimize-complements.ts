import type { Highs } from 'highs';
import { columnOf, type AttackerModel } from './attacker-model.ts';
import type { ProtectionLevels, SensitiveForm } from './protection-types.ts';
import { createLinearModel, type SolverModel } from './solve-model.ts';
import type { Witness } from './choose-complements.ts';

/** Tables up to this many cells (margins included) get the exact search. */
const OPTIMIZE_CELLS = 100;

/** Integer programs (master solves) at most; each is followed by one linear program per sensitive side. */
const MAX_ROUNDS = 40;

/** Linear-relaxation rounds first (cheap cuts at fractional patterns). */
const RELAXED_ROUNDS = 30;

/** Branch-and-bound nodes per integer program (a fixed limit: the result does not depend on the machine's speed). */
const MAX_NODES = 4000;

/** Linear programs (separations) at most, over the whole search: 40 per cell of the table. */
const SEPARATIONS_PER_CELL = 40;

/** Slack for the solver's floating point. */
const TOLERANCE = 1e-6;

export interface OptimizeOptions {
  readonly levels: ProtectionLevels;
  /** Small cells: always suppressed. */
  readonly primary: ReadonlySet<number>;
  /** What suppressing one cell costs (cells or people, as the contract chooses). */
  readonly costOf: (cell: number) => number;
  /** The best pattern known (it passed the audit): only a cheaper one is returned. */
  readonly incumbent?: ReadonlySet<number>;
  /** Whether a pattern may be the result (protectTable: it passes the integer audit). */
  readonly accepts: (cells: ReadonlySet<number>, witnesses: Witness[]) => boolean;
}

/** One side of one sensitive form: the form must reach `target` (its value moved by the protection level). */
interface Side {
  readonly form: SensitiveForm;
  readonly direction: 1 | -1;
  /** direction * (the value the form must reach): the least the maximized objective may be. */
  readonly target: number;
}

/** A cover inequality over the cells: sum of weights over suppressed cells >= 1. */
interface Cut {
  readonly cells: number[];
  readonly weights: number[];
}

/**
 * The cheapest suppression pattern of a small table, by integer programming with Benders cuts
 * (after Fischetti and Salazar's model for complementary suppression): a master problem with one
 * binary per cell (small cells fixed at 1) and no other variables, and cuts from the attacker's
 * linear programs. For a candidate pattern y (0/1, or fractional in the first rounds), each side
 * of each sensitive form is one linear program: maximize the form over the tables the attacker
 * cannot tell apart, a published figure of cell i bounded by [v (1 - y_i), v + M y_i] (fixed at
 * its value v when published, free and non-negative when suppressed; M bounds any move). When
 * the maximum falls short, the program's duals give an affine bound on the maximum as a function
 * of y (weak duality holds for every y), and requiring that bound to reach the target is a linear
 * cut valid for every pattern that protects the side: the pattern at hand violates it.
 * A pattern every side accepts is then put to the integer audit (`accepts`); a pattern that fails
 * it excludes itself and all its subsets (suppressing less only narrows intervals) by a cut.
 *
 * The heuristic's pattern is the incumbent (a MIP start, and the answer when nothing cheaper is
 * found): when the master's optimum is not cheaper, it was already optimal for the relaxation.
 * Every limit is a count (rounds, nodes, linear programs), never time, so a table always gets the
 * same pattern. Returns a cheaper accepted pattern with the witnesses of its audit, or undefined.
 * Different from test/helpers/exact-suppression.ts (one copy of the attacker's table per side in
 * one integer program), which stays the independent reference.
 */
export function optimizeComplements(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, options: OptimizeOptions): { suppressed: Set<number>; witnesses: Witness[] } | undefined {
  const n = attacker.cellCount;
  if (n > OPTIMIZE_CELLS) return undefined;
  const { levels, primary } = options;
  const sides: Side[] = [];
  for (const form of forms) {
    sides.push({ form, direction: 1, target: form.value + levels.upper });
    const down = Math.min(levels.lower, form.value);
    if (down > 0) sides.push({ form, direction: -1, target: -(form.value - down) });
  }
  const open: number[] = [];
  for (let cell = 0; cell < n; cell++) if (!primary.has(cell) && (attacker.publishedColumn[2 * cell] || attacker.publishedColumn[2 * cell + 1])) open.push(cell);
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
  const setPattern = (y: Float64Array): void => {
    for (let c = 0; c < attacker.columnCount; c++) {
      if (!attacker.publishedColumn[c]) continue;
      const v = attacker.values[c] ?? 0;
      const share = y[c >> 1] ?? 0;
      lower[c] = v * (1 - share);
      upper[c] = share >= 1 - TOLERANCE ? Infinity : v + bigM * share;
      sub.changeColBounds(c, lower[c] ?? 0, upper[c] === Infinity ? inf : (upper[c] ?? 0));
    }
  };
  const separationBudget = { left: SEPARATIONS_PER_CELL * n };
  /** One side on the pattern set: a witness when it is met, a cut when it is not (undefined: no valid cut). */
  const separate = (side: Side, y: Float64Array): { met: true; witness?: Witness } | { met: false; cut?: Cut } => {
    separationBudget.left -= 1;
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

  const isOpen = new Set(open);
  const master = solver.createModel({
    numCols: n,
    numRows: 0,
    colCost: Float64Array.from({ length: n }, (_, cell) => (isOpen.has(cell) ? options.costOf(cell) : 0)),
    colLower: Float64Array.from({ length: n }, (_, cell) => (primary.has(cell) ? 1 : 0)),
    colUpper: Float64Array.from({ length: n }, (_, cell) => (primary.has(cell) || isOpen.has(cell) ? 1 : 0)),
    rowLower: new Float64Array(0),
    rowUpper: new Float64Array(0),
    matrix: { format: 'csr', numRows: 0, numCols: n, starts: new Int32Array(1), indices: new Int32Array(0), values: new Float64Array(0) },
  });
  master.options.set({ output_flag: false, log_to_console: false, mip_max_nodes: MAX_NODES, mip_rel_gap: 0, mip_abs_gap: 1e-6 });
  const seen = new Set<string>();
  const addCut = (cut: Cut): void => {
    const key = cut.cells.map((c, j) => `${c}:${(cut.weights[j] ?? 0).toFixed(6)}`).join(',');
    if (seen.has(key)) return;
    seen.add(key);
    master.addRow(1 - 1e-9, inf, { indices: Int32Array.from(cut.cells), values: Float64Array.from(cut.weights) });
  };
  const costOf = (cells: Iterable<number>): number => {
    let sum = 0;
    for (const cell of cells) if (!primary.has(cell)) sum += options.costOf(cell);
    return sum;
  };
  let best: { suppressed: Set<number>; witnesses: Witness[]; cost: number } | undefined;
  const incumbentCost = options.incumbent ? costOf(options.incumbent) : Infinity;
  const bestCost = (): number => Math.min(incumbentCost, best?.cost ?? Infinity);
  /** Separates every side at y; adds the cuts; the witnesses when every side is met. */
  const separateAll = (y: Float64Array): { cuts: number; witnesses: Witness[] | undefined } => {
    setPattern(y);
    let cuts = 0;
    let allMet = true;
    const witnesses: Witness[] = [];
    for (const side of sides) {
      const outcome = separate(side, y);
      if (outcome.met) {
        if (outcome.witness) witnesses.push(outcome.witness);
        continue;
      }
      allMet = false;
      if (outcome.cut) {
        addCut(outcome.cut);
        cuts += 1;
      }
    }
    return { cuts, witnesses: allMet ? witnesses : undefined };
  };
  const solveMaster = (integral: boolean): Float64Array | undefined => {
    master.changeColsIntegrality({ kind: 'range', from: 0, to: n - 1 }, new Int32Array(n).fill(integral ? 1 : 0));
    if (integral && options.incumbent) {
      const start = new Float64Array(n);
      for (const cell of best?.suppressed ?? options.incumbent) start[cell] = 1;
      for (const cell of primary) start[cell] = 1;
      master.setSolution({ colValue: start });
    }
    master.run();
    const status = master.getModelStatus();
    const found = status === 7 || (integral && Number(master.info.get('primal_solution_status')) === 2);
    if (!found) return undefined;
    return Float64Array.from(master.getSolution().colValue);
  };

  try {
    if (n === 0 || sides.length === 0) return undefined;
    for (let round = 0; round < RELAXED_ROUNDS && separationBudget.left > 0; round++) {
      const y = solveMaster(false);
      if (!y || master.getObjectiveValue() >= bestCost() - 1e-9) break;
      if (separateAll(y).cuts === 0) break;
    }
    for (let round = 0; round < MAX_ROUNDS && separationBudget.left > 0; round++) {
      const y = solveMaster(true);
      if (!y) break;
      const proven = master.getModelStatus() === 7;
      const pattern = new Set<number>();
      for (let cell = 0; cell < n; cell++) if ((y[cell] ?? 0) > 0.5) pattern.add(cell);
      for (const cell of pattern) y[cell] = 1;
      for (let cell = 0; cell < n; cell++) if (!pattern.has(cell)) y[cell] = 0;
      const cost = costOf(pattern);
      // The master is a relaxation: its optimum no cheaper than the best known proves that one
      // optimal. Not proven (the node limit): nothing cheaper was found, and that is the answer.
      if (cost >= bestCost() - 1e-9) break;
      const outcome = separateAll(y);
      if (outcome.witnesses) {
        if (options.accepts(pattern, outcome.witnesses)) {
          best = { suppressed: pattern, witnesses: outcome.witnesses, cost };
          if (proven) break;
          continue;
        }
        // Every side met by linear programming, but not by the integer audit: exclude it and its subsets.
        const others = open.filter((cell) => !pattern.has(cell));
        if (others.length === 0) break;
        addCut({ cells: others, weights: others.map(() => 1) });
      } else if (outcome.cuts === 0) {
        const others = open.filter((cell) => !pattern.has(cell));
        if (others.length === 0) break;
        addCut({ cells: others, weights: others.map(() => 1) });
      }
    }
  } finally {
    master.dispose();
    sub.dispose();
  }
  // The very set `accepts` passed (small cells included: their y is fixed at 1).
  return best ? { suppressed: best.suppressed, witnesses: best.witnesses } : undefined;
}
