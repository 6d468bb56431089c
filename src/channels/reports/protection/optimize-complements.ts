import type { Highs } from 'highs';
import type { AttackerModel } from './attacker-model.ts';
import type { ProtectionLevels, SensitiveForm } from './protection-types.ts';
import type { Witness } from './choose-complements.ts';
import { createCutSeparator, type Cut } from './attacker-cuts.ts';

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

/**
 * The cheapest suppression pattern of a small table, by integer programming with Benders cuts
 * (after Fischetti and Salazar's model for complementary suppression): a master problem with one
 * binary per cell (small cells fixed at 1) and no other variables, and the cuts of
 * attacker-cuts.ts (one linear program per side of each sensitive form at the pattern at hand).
 * Cuts come first from the linear relaxation of the master (fractional patterns, cheap), then
 * from its integer optima. A pattern every side accepts is put to the integer audit (`accepts`);
 * one that fails it is excluded with all its subsets (suppressing less only narrows intervals).
 *
 * The heuristic's pattern is the incumbent (a MIP start, and the answer when nothing cheaper is
 * found): when the master's optimum is no cheaper, the search stops. Every limit is a count
 * (rounds, nodes, linear programs), never time, so a table always gets the same pattern. Returns
 * a cheaper accepted pattern (the very set `accepts` passed) with the witnesses of its audit, or
 * undefined. Different from test/helpers/exact-suppression.ts (one copy of the attacker's table
 * per side in one integer program), which stays the independent reference.
 */
export function optimizeComplements(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, options: OptimizeOptions): { suppressed: Set<number>; witnesses: Witness[] } | undefined {
  const n = attacker.cellCount;
  if (n > OPTIMIZE_CELLS) return undefined;
  const { primary } = options;
  const separator = createCutSeparator(solver, attacker, forms, options.levels, primary);
  const { sides, separate } = separator;
  const separationsLeft = (): boolean => separator.solves() < SEPARATIONS_PER_CELL * n;
  const open: number[] = [];
  for (let cell = 0; cell < n; cell++) if (!primary.has(cell) && (attacker.publishedColumn[2 * cell] || attacker.publishedColumn[2 * cell + 1])) open.push(cell);
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
    master.addRow(1 - 1e-9, solver.infinity, { indices: Int32Array.from(cut.cells), values: Float64Array.from(cut.weights) });
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
    for (let round = 0; round < RELAXED_ROUNDS && separationsLeft(); round++) {
      const y = solveMaster(false);
      if (!y || master.getObjectiveValue() >= bestCost() - 1e-9) break;
      if (separateAll(y).cuts === 0) break;
    }
    for (let round = 0; round < MAX_ROUNDS && separationsLeft(); round++) {
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
    separator.dispose();
  }
  // The very set `accepts` passed (small cells included: their y is fixed at 1).
  return best ? { suppressed: best.suppressed, witnesses: best.witnesses } : undefined;
}
