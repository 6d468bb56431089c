/**
 * Disclosure protection for grant-report tables: an interval guarantee audited with a real solver.
 *
 * The interface between a table and its protection (kept small; every type is plain data, so a
 * worker thread can run `protectTable` with structured-cloned input and output):
 *
 *   protectTable(table: ProtectionTable, options: ProtectionOptions): Promise<ProtectionResult>
 *
 * - `table.cells`: every published figure's true counts (both measures), its dimension values
 *   (null = summed over) and its level (how many dimensions it sums over, 0 = detailed).
 * - `table.sums`: for each margin, the detailed cells it sums (attendances add up; participants
 *   are distinct, so a margin lies between its largest part and the sum of its parts).
 * - `options.priorTables`: figures already published for the grant (a release ledger), each as
 *   a known sum over this table's detailed cells; they join the attacker's equations.
 * - Joint models (a report linked with published tables of other periods, see linked-tables.ts)
 *   add cells this report does not publish: `hidden` cells are unknowns (period pieces, earlier
 *   figures), never suppressed and free to move; `parts` gives such a cell's direct parts when its
 *   values are only a label; `audited: false` takes no sensitive quantity from a cell.
 *
 * The result says which cells to suppress (`suppressed`, by index) and the audit: for every
 * sensitive quantity (a small cell, a small implied group of people, a sensitive zero) the
 * tightest interval an attacker can prove from everything published, and whether it keeps the
 * protection levels. `protectTable` throws ReportProtectionError when the audit cannot be met;
 * such a report must not be published.
 */
import { auditIntervals } from './audit-intervals.ts';
import { buildAttackerModel } from './attacker-model.ts';
import { chooseComplements, type Witness } from './choose-complements.ts';
import { createPruneBudget, pruneComplements } from './prune-complements.ts';
import { orderForms } from './complement-orders.ts';
import { swapComplements } from './swap-complements.ts';
import { optimizeComplements } from './optimize-complements.ts';
import { findSensitiveForms } from './sensitive-forms.ts';
import { loadSolver } from './load-solver.ts';
import { DEFAULT_PROTECTION, ReportProtectionError, type ProtectionAudit, type ProtectionOptions, type ProtectionResult, type ProtectionTable } from './protection-types.ts';

export * from './protection-types.ts';

/** Rounds of repair after the first audit (each asks half a unit more of what failed). */
const MAX_REPAIR_ROUNDS = 4;

/** Chooses the suppression pattern (primary, then complementary by cost) and audits it. */
export async function protectTable(table: ProtectionTable, options: ProtectionOptions): Promise<ProtectionResult> {
  const solver = options.solver ?? (await loadSolver());
  const levels = options.protection ?? DEFAULT_PROTECTION;
  const model = buildAttackerModel(table, options);
  const forms = findSensitiveForms(table, model, options);
  const suppressed = new Set<number>();
  table.cells.forEach((cell, i) => {
    if (!cell.hidden && options.measures.some((m) => cell[m] > 0 && cell[m] < options.minCellSize)) suppressed.add(i);
  });
  const primary = suppressed.size;
  const primaryCells: ReadonlySet<number> = new Set(suppressed);
  const cost = options.suppressionCost ?? 'cells';
  // The sequential choice depends on the order of the forms: several starts on small tables, the
  // cheapest kept (each start's complements pruned first). A suppressed cell costs its people, and
  // at least 1 (a figure is lost even where nobody came), as in chooseComplements.
  const lossOf = (cells: ReadonlySet<number>): number => {
    let loss = 0;
    for (const cell of cells) loss += cost === 'people' ? Math.max(1, table.cells[cell]?.participants ?? 0) : 1 + 0.1 * (table.cells[cell]?.level ?? 0);
    return loss;
  };
  let witnesses: Witness[] = [];
  let best: Set<number> | undefined;
  const budget = createPruneBudget(table.cells.length);
  for (const order of orderForms(forms, table.cells.length)) {
    const trial = new Set(primaryCells);
    const found: Witness[] = [];
    chooseComplements(solver, model, order, trial, { levels, cost, keepOrder: true }, found);
    pruneComplements(solver, model, forms, trial, found, { levels, cost, primary: primaryCells, budget });
    if (!best || lossOf(trial) < lossOf(best)) {
      best = trial;
      witnesses = found;
    }
  }
  // Small tables: swap single complements for cheaper ones where that helps.
  // The local search returns the cheapest pattern that passes the audit: the last passing audit
  // is kept, so that pattern is not audited twice.
  let passed: { cells: ReadonlySet<number>; audit: ProtectionAudit } | undefined;
  const accepts = (cells: ReadonlySet<number>, found: Witness[]): boolean => {
    const result = auditIntervals(solver, model, forms, cells, levels, found);
    if (result.passed) passed = { cells, audit: result };
    return result.passed;
  };
  const swapped = swapComplements(solver, model, forms, best ?? primaryCells, witnesses, { levels, cost, primary: primaryCells, lossOf, accepts });
  witnesses = swapped.witnesses;
  for (const cell of swapped.suppressed) suppressed.add(cell);
  options.onAuditing?.();
  let audit = passed?.cells === swapped.suppressed ? passed.audit : auditIntervals(solver, model, forms, suppressed, levels, witnesses);
  let repaired = false;
  // A fractional alternative table may not exist in integers: ask a little more for what failed.
  for (let round = 1; round <= MAX_REPAIR_ROUNDS && !audit.passed; round++) {
    const failing = audit.forms.filter((f) => !f.protected).map((f) => f.form);
    if (chooseComplements(solver, model, failing, suppressed, { levels, cost, extra: round / 2 }, witnesses) === 0) break;
    audit = auditIntervals(solver, model, forms, suppressed, levels, witnesses);
    repaired = audit.passed;
  }
  // A repaired small table: the same local search again, from the repaired pattern, keeping only
  // patterns that pass the audit (the repair adds cells where the relaxation misled the search;
  // one more cell suppressed can then make several of the earlier ones unnecessary).
  if (repaired) {
    const again = swapComplements(solver, model, forms, new Set(suppressed), witnesses, { levels, cost, primary: primaryCells, lossOf, accepts, addMoves: true });
    if (lossOf(again.suppressed) < lossOf(suppressed) - 1e-9) {
      suppressed.clear();
      for (const cell of again.suppressed) suppressed.add(cell);
      witnesses = again.witnesses;
      audit = passed?.cells === again.suppressed ? passed.audit : auditIntervals(solver, model, forms, suppressed, levels, witnesses);
    }
  }
  // Small tables: the exact search (integer programming with Benders cuts), with the pattern so
  // far as its incumbent; it returns only a cheaper pattern that passes the audit. Its cost is the
  // loss itself (cells, or people), a thousandth per summed dimension only breaking ties (it never
  // trades a cell or a person), and its pattern replaces the heuristic's only when it loses
  // strictly fewer cells (or people): among patterns of equal loss the heuristic's stands.
  const amountOf = (cell: number): number => (cost === 'people' ? Math.max(1, table.cells[cell]?.participants ?? 0) : 1);
  const amountLost = (cells: ReadonlySet<number>): number => [...cells].reduce((sum, cell) => sum + amountOf(cell), 0);
  const optimized = optimizeComplements(solver, model, forms, { levels, primary: primaryCells, costOf: (cell) => amountOf(cell) + 0.001 * (table.cells[cell]?.level ?? 0), incumbent: audit.passed ? suppressed : undefined, accepts });
  if (optimized && (!audit.passed || amountLost(optimized.suppressed) < amountLost(suppressed))) {
    suppressed.clear();
    for (const cell of optimized.suppressed) suppressed.add(cell);
    witnesses = optimized.witnesses;
    audit = passed?.cells === optimized.suppressed ? passed.audit : auditIntervals(solver, model, forms, suppressed, levels, witnesses);
  }
  if (!audit.passed) {
    const failing = audit.forms.filter((f) => !f.protected).length;
    throw new ReportProtectionError(`the table cannot be protected: ${failing} sensitive figure(s) keep too narrow an interval after suppression; the report was not published`);
  }
  return { suppressed: [...suppressed].sort((a, b) => a - b), primary, audit };
}

export { auditIntervals, buildAttackerModel, chooseComplements, findSensitiveForms, loadSolver };
