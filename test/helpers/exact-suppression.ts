import type { Highs } from 'highs';
import { buildAttackerModel, findSensitiveForms, type ProtectionLevels, type ProtectionTable, type SensitiveForm } from '../../src/channels/reports/protection/index.ts';
import { columnOf } from '../../src/channels/reports/protection/attacker-model.ts';

/**
 * The exact minimum-cost complementary suppression of a small table, by integer programming (a
 * different formulation from the product's sequential heuristic): one binary per cell (suppressed
 * or not; small cells fixed at 1) and, for every sensitive form and direction, a copy of the
 * attacker's deviation table (d+ and d- per figure, the attacker's relations, non-negativity of
 * the alternative table), allowed to move a published figure only when its cell is suppressed
 * (|d| <= M * y, M the table's total attendances plus its protection), and required to move the
 * form by its protection level. The relations are the product's attacker model (the question is
 * how good its choice is under the same attacker, not who the attacker is).
 *
 * Copies are added lazily (constraint generation): solve with the copies so far, check every
 * (form, direction) on the chosen pattern with one LP each, add the copies that fail, repeat. The
 * optimum of a problem with fewer copies is a lower bound, so a pattern that passes every check
 * is optimal. With a time limit the answer may be only a lower bound (`exact: false`).
 */
export interface ExactSuppression {
  /** Cells of the best pattern found (primary included), when one passed every check. */
  readonly suppressed: ReadonlyArray<number> | undefined;
  /** Its cost (cells, or people), or undefined. */
  readonly cost: number | undefined;
  /** A proven lower bound on the minimum cost. */
  readonly lowerBound: number;
  /** True when `cost` is proven minimal. */
  readonly exact: boolean;
  readonly copies: number;
}

interface Task {
  readonly form: SensitiveForm;
  readonly direction: 1 | -1;
  readonly amount: number;
}

export interface ExactOptions {
  readonly minCellSize: number;
  readonly measures: ReadonlyArray<'participants' | 'attendances'>;
  readonly levels?: ProtectionLevels;
  readonly cost?: 'cells' | 'people';
  /** Seconds for all integer solves together (default 120). */
  readonly timeLimit?: number;
}

const MOVED = 1e-7;

export function findExactSuppression(solver: Highs, table: ProtectionTable, options: ExactOptions): ExactSuppression {
  const levels = options.levels ?? { lower: 1, upper: 1 };
  const attacker = buildAttackerModel(table, options);
  const forms = findSensitiveForms(table, attacker, options);
  const n = attacker.cellCount;
  const columns = attacker.columnCount;
  const costOf = (cell: number): number => (options.cost === 'people' ? Math.max(1, table.cells[cell]?.participants ?? 0) : 1);
  const primary = new Set<number>();
  table.cells.forEach((c, i) => {
    if (options.measures.some((m) => c[m] > 0 && c[m] < options.minCellSize)) primary.add(i);
  });
  const tasks: Task[] = [];
  for (const form of forms) {
    tasks.push({ form, direction: 1, amount: levels.upper });
    const down = Math.min(levels.lower, form.value);
    if (down > 0) tasks.push({ form, direction: -1, amount: down });
  }
  let total = 0;
  for (const cell of table.cells) if (cell.level === 0) total += cell.attendances;
  const bigM = total + levels.upper + levels.lower + 1;
  // The attacker's rows, shifted to deviations from the true table.
  const shifted = attacker.rows.map((row) => {
    let at = 0;
    row.columns.forEach((c, j) => (at += (row.coefficients[j] ?? 0) * (attacker.values[c] ?? 0)));
    return { lower: row.lower - at, upper: row.upper - at, columns: row.columns, coefficients: row.coefficients };
  });

  const inf = solver.infinity;
  const clip = (x: number): number => (x === Infinity ? inf : x === -Infinity ? -inf : x);

  /** Is the task met on this pattern (one LP: the deviation table with only suppressed cells free)? */
  const met = (task: Task, suppressed: ReadonlySet<number>): boolean => {
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    const starts: number[] = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const addRow = (lower: number, upper: number, entries: ReadonlyArray<readonly [number, number]>): void => {
      rowLower.push(clip(lower));
      rowUpper.push(clip(upper));
      for (const [c, v] of entries) {
        indices.push(c);
        values.push(v);
      }
      starts.push(indices.length);
    };
    for (const row of shifted) addRow(row.lower, row.upper, row.columns.flatMap((c, j) => [[2 * c, row.coefficients[j] ?? 0] as const, [2 * c + 1, -(row.coefficients[j] ?? 0)] as const]));
    addRow(task.direction === 1 ? task.amount : -Infinity, task.direction === 1 ? Infinity : -task.amount, task.form.terms.flatMap((t) => [[2 * columnOf(t.cell, t.measure), t.coefficient] as const, [2 * columnOf(t.cell, t.measure) + 1, -t.coefficient] as const]));
    const colLower = new Float64Array(2 * columns);
    const colUpper = new Float64Array(2 * columns);
    for (let c = 0; c < columns; c++) {
      const free = !attacker.publishedColumn[c] || suppressed.has(c >> 1);
      colUpper[2 * c] = free ? inf : 0;
      colUpper[2 * c + 1] = free ? (attacker.values[c] ?? 0) : 0;
    }
    const model = solver.createModel({
      numCols: 2 * columns,
      numRows: rowLower.length,
      colCost: new Float64Array(2 * columns),
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows: rowLower.length, numCols: 2 * columns, starts, indices, values },
    });
    try {
      model.options.set({ output_flag: false, log_to_console: false });
      model.run();
      return model.getModelStatus() === 7;
    } finally {
      model.dispose();
    }
  };

  /** The integer program over the copies so far: its optimal pattern and bound. */
  const solveMaster = (copies: ReadonlyArray<Task>, timeLimit: number): { pattern: Set<number> | undefined; bound: number; optimal: boolean } => {
    const perCopy = 4 * columns;
    const numCols = n + copies.length * perCopy;
    const colCost = new Float64Array(numCols);
    const colLower = new Float64Array(numCols);
    const colUpper = new Float64Array(numCols);
    const integrality = new Int32Array(numCols);
    for (let i = 0; i < n; i++) {
      colCost[i] = costOf(i);
      colLower[i] = primary.has(i) ? 1 : 0;
      colUpper[i] = 1;
      integrality[i] = 1;
    }
    const rowLower: number[] = [];
    const rowUpper: number[] = [];
    const starts: number[] = [0];
    const indices: number[] = [];
    const values: number[] = [];
    const addRow = (lower: number, upper: number, entries: ReadonlyArray<readonly [number, number]>): void => {
      rowLower.push(clip(lower));
      rowUpper.push(clip(upper));
      for (const [c, v] of entries) {
        indices.push(c);
        values.push(v);
      }
      starts.push(indices.length);
    };
    copies.forEach((task, t) => {
      const base = n + t * perCopy;
      // Columns of copy t: d+ of figure c at base + 2c, d- at base + 2c + 1 (d- <= the true value).
      for (let c = 0; c < columns; c++) {
        colUpper[base + 2 * c] = inf;
        colUpper[base + 2 * c + 1] = attacker.values[c] ?? 0;
      }
      for (const row of shifted) addRow(row.lower, row.upper, row.columns.flatMap((c, j) => [[base + 2 * c, row.coefficients[j] ?? 0] as const, [base + 2 * c + 1, -(row.coefficients[j] ?? 0)] as const]));
      const move = task.form.terms.flatMap((term) => [[base + 2 * columnOf(term.cell, term.measure), term.coefficient] as const, [base + 2 * columnOf(term.cell, term.measure) + 1, -term.coefficient] as const]);
      addRow(task.direction === 1 ? task.amount : -Infinity, task.direction === 1 ? Infinity : -task.amount, move);
      // A published cell moves (either figure, either way) only when it is suppressed.
      for (let i = 0; i < n; i++) {
        const moving: Array<readonly [number, number]> = [];
        for (const c of [2 * i, 2 * i + 1]) if (attacker.publishedColumn[c]) moving.push([base + 2 * c, 1], [base + 2 * c + 1, 1]);
        if (moving.length > 0) addRow(-Infinity, 0, [...moving, [i, -bigM]]);
      }
    });
    const model = solver.createModel({
      numCols,
      numRows: rowLower.length,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows: rowLower.length, numCols, starts, indices, values },
      integrality,
    });
    try {
      model.options.set({ output_flag: false, log_to_console: false, mip_rel_gap: 0, mip_abs_gap: 0.5, time_limit: Math.max(0.1, timeLimit) });
      model.run();
      const status = model.getModelStatus();
      let bound = 0;
      try {
        bound = Number(model.info.get('mip_dual_bound'));
      } catch {
        bound = 0;
      }
      if (status === 7) {
        const x = model.getSolution().colValue;
        const pattern = new Set<number>();
        for (let i = 0; i < n; i++) if ((x[i] ?? 0) > 0.5) pattern.add(i);
        return { pattern, bound: model.getObjectiveValue(), optimal: true };
      }
      return { pattern: undefined, bound: Number.isFinite(bound) ? bound : 0, optimal: false };
    } finally {
      model.dispose();
    }
  };

  const started = performance.now();
  const budget = options.timeLimit ?? 120;
  const copies: Task[] = [];
  let lowerBound = [...primary].reduce((s, i) => s + costOf(i), 0);
  for (;;) {
    const left = budget - (performance.now() - started) / 1000;
    if (left <= 0) return { suppressed: undefined, cost: undefined, lowerBound, exact: false, copies: copies.length };
    const master = solveMaster(copies, left);
    lowerBound = Math.max(lowerBound, Math.ceil(master.bound - MOVED));
    if (!master.pattern) return { suppressed: undefined, cost: undefined, lowerBound, exact: false, copies: copies.length };
    const failing = tasks.filter((task) => !copies.includes(task) && !met(task, master.pattern as Set<number>));
    if (failing.length === 0) {
      const suppressed = [...master.pattern].sort((a, b) => a - b);
      return { suppressed, cost: suppressed.reduce((s, i) => s + costOf(i), 0), lowerBound: master.bound, exact: true, copies: copies.length };
    }
    // A few at a time, from different forms: one copy often settles its neighbours too.
    const seen = new Set<SensitiveForm>();
    for (const task of failing) {
      if (seen.has(task.form)) continue;
      seen.add(task.form);
      copies.push(task);
      if (seen.size >= 6) break;
    }
  }
}
