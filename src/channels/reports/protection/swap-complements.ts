import type { Highs } from 'highs';
import type { AttackerModel } from './attacker-model.ts';
import { chooseComplements, type Witness } from './choose-complements.ts';
import { pruneComplements } from './prune-complements.ts';
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
}

/**
 * A local search after the starts, for small tables: each complementary cell in turn is forced
 * published (its figures fixed), complements are chosen again around it (already suppressed cells
 * cost nothing) and pruned; the result is kept when it loses less. Removing one cell alone (the
 * pruning pass) cannot leave a pattern where two cheaper cells would replace it; this can.
 * Deterministic. Returns the best pattern and its witnesses (the input ones when nothing was
 * better).
 */
export function swapComplements(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, start: ReadonlySet<number>, witnesses: Witness[], options: SwapOptions): { suppressed: Set<number>; witnesses: Witness[] } {
  let best = new Set(start);
  let bestWitnesses = witnesses;
  if (attacker.cellCount > SWAP_CELLS) return { suppressed: best, witnesses: bestWitnesses };
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
      }
    }
    if (!improved) break;
  }
  return { suppressed: best, witnesses: bestWitnesses };
}
