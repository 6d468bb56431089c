import type { Highs } from 'highs';
import type { AttackerModel } from './attacker-model.ts';
import { chooseComplements, type Witness } from './choose-complements.ts';
import { pruneComplements } from './prune-complements.ts';
import { columnOf } from './attacker-model.ts';
import type { ProtectionLevels, SensitiveForm, SuppressionCost } from './protection-types.ts';

/** Tables up to this many cells get the swap pass (each trial is a whole choice of complements). */
const SWAP_CELLS = 64;

/** Rounds over every complementary cell (each round that improves may open further swaps). */
const MAX_ROUNDS = 3;

export interface SwapOptions {
  readonly levels: ProtectionLevels;
  readonly cost: SuppressionCost;
  readonly primary: ReadonlySet<number>;
  readonly lossOf: (cells: ReadonlySet<number>) => number;
  /**
   * Whether a pattern may be the result (protectTable: it passes the integer audit). The moves
   * are checked by linear programming, and a pattern the relaxation protects may fail against an
   * integer attacker; repairing it afterwards can cost more than the moves saved. The search still
   * moves through such patterns; it returns the cheapest accepted one (or, when none is, the
   * cheapest it found).
   */
  readonly accepts?: (cells: ReadonlySet<number>, witnesses: Witness[]) => boolean;
  /** Also try suppressing each published cell in addition, then pruning (many more solves: protectTable asks for it after a repair). */
  readonly addMoves?: boolean;
}

/**
 * A local search after the starts, for small tables: each complementary cell in turn is forced
 * published (its figures fixed), complements are chosen again around it (already suppressed cells
 * cost nothing) and pruned; then each published cell in turn is suppressed in addition and the
 * pattern pruned. A result is kept when it loses less. Removing one cell alone (the pruning
 * pass) cannot leave a pattern where two cheaper cells would replace it, nor one where a cell not
 * yet suppressed would make several others unnecessary; these moves can.
 * Deterministic. Returns the best pattern and its witnesses (the input ones when nothing was
 * better).
 */
export function swapComplements(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, start: ReadonlySet<number>, witnesses: Witness[], options: SwapOptions): { suppressed: Set<number>; witnesses: Witness[] } {
  let best = new Set(start);
  let bestWitnesses = witnesses;
  if (attacker.cellCount > SWAP_CELLS) return { suppressed: best, witnesses: bestWitnesses };
  // The search moves to every cheaper pattern (checked by linear programming); the cheapest one
  // that `accepts` passes is what it returns.
  let kept: { suppressed: Set<number>; witnesses: Witness[] } | undefined;
  const keep = (cells: Set<number>, found: Witness[]): void => {
    if (kept && options.lossOf(cells) >= options.lossOf(kept.suppressed) - 1e-9) return;
    if (options.accepts && !options.accepts(cells, found)) return;
    kept = { suppressed: cells, witnesses: found };
  };
  keep(best, bestWitnesses);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let improved = false;
    for (const cell of [...best].filter((c) => !options.primary.has(c)).sort((a, b) => a - b)) {
      if (!best.has(cell)) continue;
      const trial = new Set([...best].filter((c) => c !== cell));
      // The cell stays published in this trial: its figures cannot move.
      const found: Witness[] = [];
      chooseComplements(solver, attacker, forms, trial, { levels: options.levels, cost: options.cost, forbidden: new Set([cell]) }, found);
      pruneComplements(solver, attacker, forms, trial, found, { levels: options.levels, cost: options.cost, primary: options.primary });
      if (!trial.has(cell) && options.lossOf(trial) < options.lossOf(best) - 1e-9) {
        best = trial;
        bestWitnesses = found;
        improved = true;
        keep(trial, found);
      }
    }
    // The other move: one published cell suppressed in addition, then the pattern pruned (its
    // complements published again, costliest first, where every form still moves far enough).
    // One cell that makes several others unnecessary is a swap of one for many, which forcing a
    // single cell published cannot find. Suppressing more only widens intervals, so the
    // witnesses of the current pattern still hold for the trial.
    for (const cell of options.addMoves ? publishedCells(attacker, best, options.cost) : []) {
      if (best.has(cell)) continue;
      const trial = new Set([...best, cell]);
      const found = [...bestWitnesses];
      pruneComplements(solver, attacker, forms, trial, found, { levels: options.levels, cost: options.cost, primary: options.primary });
      if (options.lossOf(trial) < options.lossOf(best) - 1e-9) {
        best = trial;
        bestWitnesses = found;
        improved = true;
        keep(trial, found);
      }
    }
    if (!improved) break;
  }
  return kept ?? { suppressed: best, witnesses: bestWitnesses };
}

/** The published cells, cheapest first (ties by index): the candidates to suppress in addition. */
function publishedCells(attacker: AttackerModel, suppressed: ReadonlySet<number>, cost: SuppressionCost): number[] {
  const costOf = (cell: number): number => (cost === 'people' ? (attacker.values[columnOf(cell, 'participants')] ?? 0) : (attacker.levels[cell] ?? 0));
  const cells: number[] = [];
  for (let cell = 0; cell < attacker.cellCount; cell++) if (!suppressed.has(cell) && (attacker.publishedColumn[2 * cell] || attacker.publishedColumn[2 * cell + 1])) cells.push(cell);
  return cells.sort((a, b) => costOf(a) - costOf(b) || a - b);
}
