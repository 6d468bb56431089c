import type { Highs } from 'highs';
import { columnOf, type AttackerModel } from './attacker-model.ts';
import type { ProtectionLevels, SensitiveForm, SuppressionCost } from './protection-types.ts';
import { createLinearModel, runModel } from './solve-model.ts';
import type { Witness } from './choose-complements.ts';

/** Slack for the solver's floating point (as in the audit). */
const TOLERANCE = 1e-6;

/** A deviation this small is the solver's rounding, not a move. */
const MOVED = 1e-7;

/** At most this many linear programs per cell of the table (a deterministic bound on the pass). */
const SOLVES_PER_CELL = 3;

/**
 * Larger tables are not pruned: each solve grows with the table (about 50 ms of CPU at 729 cells)
 * and on the benchmark's large random tables the pass published nothing again.
 */
const PRUNE_CELLS = 400;

export interface PruneOptions {
  readonly levels: ProtectionLevels;
  readonly cost: SuppressionCost;
  /** Cells that must stay suppressed (small cells). */
  readonly primary: ReadonlySet<number>;
  /** Linear programs left, shared by the passes of several starts (default: SOLVES_PER_CELL per cell for this pass alone). Decremented. */
  readonly budget?: { left: number };
}

/** The solve budget of all the pruning passes of one table: SOLVES_PER_CELL per cell. */
export function createPruneBudget(cellCount: number): { left: number } {
  return { left: SOLVES_PER_CELL * cellCount };
}

interface Need {
  readonly form: SensitiveForm;
  readonly direction: 1 | -1;
  /** How far the form must move (its protection level, clipped at 0 below). */
  readonly amount: number;
  readonly columns: ReadonlyArray<number>;
}

/**
 * The post-pass of complementary suppression: the sequential choice (one form at a time) often
 * ends with complements that later ones made unnecessary. Each complementary cell, costliest
 * first, is published again on trial; the trial stands when every sensitive form can still move
 * by its protection level both ways (the audit's linear program: the form's min and max over the
 * tables the attacker cannot tell apart). Alternative tables already known (witnesses) settle a
 * form without a solve while they do not move the cell on trial; each solve adds its optimum as
 * a new witness. Publishing a cell only narrows intervals, so a trial is checked against every
 * form, and the pass never weakens the audit (protectTable audits the result again).
 *
 * Deterministic: a fixed order and a fixed bound on solves (3 per cell of the table, shared by
 * the passes of all starts; tables of up to 400 cells). Mutates
 * `suppressed` and `witnesses`; returns how many cells it published again.
 */
export function pruneComplements(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, suppressed: Set<number>, witnesses: Witness[], options: PruneOptions): number {
  const candidates = [...suppressed].filter((cell) => !options.primary.has(cell));
  if (candidates.length === 0 || attacker.cellCount > PRUNE_CELLS) return 0;
  const costOf = (cell: number): number => (options.cost === 'people' ? (attacker.values[columnOf(cell, 'participants')] ?? 0) : (attacker.levels[cell] ?? 0));
  candidates.sort((a, b) => costOf(b) - costOf(a) || b - a);
  const needs: Need[] = [];
  for (const form of forms) {
    const columns = form.terms.map((t) => columnOf(t.cell, t.measure));
    needs.push({ form, direction: 1, amount: options.levels.upper, columns });
    const down = Math.min(options.levels.lower, form.value);
    if (down > 0) needs.push({ form, direction: -1, amount: down, columns });
  }
  const moveBy = (need: Need, witness: Witness): number => {
    let move = 0;
    need.form.terms.forEach((t, j) => (move += t.coefficient * (witness.get(need.columns[j] as number) ?? 0)));
    return need.direction * move;
  };
  const movesColumn = (witness: Witness, c: number): boolean => attacker.publishedColumn[c] === 1 && Math.abs(witness.get(c) ?? 0) > MOVED;
  const touches = (witness: Witness, cell: number): boolean => movesColumn(witness, 2 * cell) || movesColumn(witness, 2 * cell + 1);
  // For each need, the witness that settles it (index into witnesses), or -1.
  const support = needs.map((need) => witnesses.findIndex((w) => moveBy(need, w) >= need.amount - TOLERANCE));

  const lower = new Float64Array(attacker.columnCount);
  const upper = new Float64Array(attacker.columnCount).fill(Infinity);
  for (let c = 0; c < attacker.columnCount; c++) {
    if (attacker.publishedColumn[c] && !suppressed.has(c >> 1)) {
      lower[c] = attacker.values[c] ?? 0;
      upper[c] = attacker.values[c] ?? 0;
    }
  }
  const model = createLinearModel(solver, attacker.rows, lower, upper);
  // Many small changes between solves: the simplex warm start does better without presolve.
  model.options.set({ presolve: 'off' });
  const inf = solver.infinity;
  const fix = (cell: number, fixed: boolean): void => {
    for (const c of [2 * cell, 2 * cell + 1]) {
      if (!attacker.publishedColumn[c]) continue;
      const value = attacker.values[c] ?? 0;
      model.changeColBounds(c, fixed ? value : 0, fixed ? value : inf);
    }
  };
  /** Solves for a need on the current bounds: a new witness when it moves far enough, 'unbounded' when it moves without end. */
  const solve = (need: Need): Witness | 'unbounded' | undefined => {
    need.columns.forEach((c, j) => model.changeColCost(c, -need.direction * (need.form.terms[j]?.coefficient ?? 0)));
    try {
      const outcome = runModel(model);
      if (outcome.status === 'unbounded') return 'unbounded';
      if (outcome.status !== 'optimal') return undefined;
      if (-outcome.value < need.direction * need.form.value + need.amount - TOLERANCE) return undefined;
      const x = model.getSolution().colValue;
      const witness = new Map<number, number>();
      for (let c = 0; c < attacker.columnCount; c++) {
        const delta = (x[c] ?? 0) - (attacker.values[c] ?? 0);
        if (Math.abs(delta) > MOVED) witness.set(c, delta);
      }
      return witness;
    } finally {
      for (const c of need.columns) model.changeColCost(c, 0);
    }
  };
  const budget = options.budget ?? createPruneBudget(attacker.cellCount);
  let published = 0;
  try {
    for (const cell of candidates) {
      if (budget.left <= 0) break;
      fix(cell, true);
      const replaced = new Map<number, number>();
      let ok = true;
      for (let k = 0; k < needs.length && ok; k++) {
        const current = support[k] ?? -1;
        if (current >= 0 && !touches(witnesses[current] as Witness, cell)) continue;
        const need = needs[k] as Need;
        const other = witnesses.findIndex((w) => !touches(w, cell) && moveBy(need, w) >= need.amount - TOLERANCE);
        if (other >= 0) {
          replaced.set(k, other);
          continue;
        }
        if (budget.left <= 0) {
          ok = false;
          break;
        }
        budget.left -= 1;
        const witness = solve(need);
        if (!witness) {
          ok = false;
          break;
        }
        if (witness === 'unbounded') {
          replaced.set(k, -1);
          continue;
        }
        witnesses.push(witness);
        replaced.set(k, witnesses.length - 1);
      }
      if (ok) {
        suppressed.delete(cell);
        for (const [k, w] of replaced) support[k] = w;
        published += 1;
      } else fix(cell, false);
    }
  } finally {
    model.dispose();
  }
  // A witness that moves a cell published again no longer describes a table the attacker cannot
  // tell apart: drop it (the audit must not rely on it).
  const kept = witnesses.filter((w) => !candidates.some((cell) => !suppressed.has(cell) && touches(w, cell)));
  witnesses.splice(0, witnesses.length, ...kept);
  return published;
}
