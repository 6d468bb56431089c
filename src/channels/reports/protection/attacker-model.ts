import type { ProtectedMeasure, ProtectionOptions, ProtectionTable } from './protection-types.ts';

/** One linear relation the attacker knows: lower <= sum(coefficient * figure) <= upper. */
export interface ModelRow {
  readonly lower: number;
  readonly upper: number;
  readonly columns: ReadonlyArray<number>;
  readonly coefficients: ReadonlyArray<number>;
}

/**
 * What an attacker knows about a table, apart from the figures it publishes: two columns per
 * cell (attendances at 2i, participants at 2i+1), every true value, and the relations that hold
 * whatever is suppressed:
 *
 * - attendances add up: each margin equals the sum of its detailed cells;
 * - participants are distinct: a margin is at least each cell one dimension below it and at most
 *   the sum of its detailed cells;
 * - participants <= attendances in every cell, and a cell with attendances has a participant
 *   (attendances <= G * participants, G the table's total attendances, a true bound);
 * - figures published earlier (the release ledger) as known sums.
 *
 * Extra true relations only narrow the attacker's intervals, so the audit stays conservative.
 * Non-negativity and integrality are the columns' bounds and types. Pure.
 */
export interface AttackerModel {
  readonly columnCount: number;
  readonly values: Float64Array;
  readonly rows: ReadonlyArray<ModelRow>;
  /** Columns whose measure the report publishes (the others are never known). */
  readonly publishedColumn: Uint8Array;
  /** For each cell, the cells one dimension below it (direct parts), for implied groups. */
  readonly children: ReadonlyArray<ReadonlyArray<number>>;
  readonly cellCount: number;
  /** Each cell's level (how many dimensions it sums over). */
  readonly levels: ReadonlyArray<number>;
}

export function columnOf(cell: number, measure: ProtectedMeasure): number {
  return measure === 'attendances' ? 2 * cell : 2 * cell + 1;
}

export function buildAttackerModel(table: ProtectionTable, options: Pick<ProtectionOptions, 'measures' | 'priorTables' | 'noisy'>): AttackerModel {
  const cells = table.cells;
  const n = cells.length;
  const values = new Float64Array(2 * n);
  cells.forEach((cell, i) => {
    values[2 * i] = cell.attendances;
    values[2 * i + 1] = cell.participants;
  });
  const publishedColumn = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (cells[i]?.hidden) continue;
    if (options.measures.includes('attendances')) publishedColumn[2 * i] = 1;
    if (options.measures.includes('participants')) publishedColumn[2 * i + 1] = 1;
  }
  const rows: ModelRow[] = [];
  const sums: Array<readonly [number, ReadonlyArray<number>]> = [...(table.sums as Iterable<readonly [number, ReadonlyArray<number>]>)];
  let totalAttendances = 0;
  for (const cell of cells) if (cell.level === 0) totalAttendances += cell.attendances;
  for (const [total, parts] of sums) {
    rows.push({ lower: 0, upper: 0, columns: [2 * total, ...parts.map((p: number) => 2 * p)], coefficients: [1, ...parts.map(() => -1)] });
    rows.push({ lower: 0, upper: options.noisy ? 0 : Infinity, columns: [...parts.map((p: number) => 2 * p + 1), 2 * total + 1], coefficients: [...parts.map(() => 1), -1] });
  }
  const children = findChildren(cells.map((c) => c.values), (i) => cells[i]?.parts !== undefined);
  cells.forEach((cell, i) => {
    if (cell.parts) children[i] = [...cell.parts];
  });
  children.forEach((parts, total) => {
    for (const part of parts) rows.push({ lower: 0, upper: Infinity, columns: [2 * total + 1, 2 * part + 1], coefficients: [1, -1] });
  });
  const bound = Math.max(1, totalAttendances);
  // Noisy figures are drawn per measure: participants may exceed attendances, or be 0 beside them.
  for (let i = 0; i < n && !options.noisy; i++) {
    rows.push({ lower: 0, upper: Infinity, columns: [2 * i, 2 * i + 1], coefficients: [1, -1] });
    rows.push({ lower: 0, upper: Infinity, columns: [2 * i + 1, 2 * i], coefficients: [bound, -1] });
  }
  for (const prior of options.priorTables ?? []) {
    for (const figure of prior.figures) {
      const columns = figure.cells.map((c) => columnOf(c, figure.measure));
      rows.push({ lower: figure.value, upper: figure.value, columns, coefficients: columns.map(() => 1) });
    }
  }
  return { columnCount: 2 * n, values, rows, publishedColumn, children, cellCount: n, levels: cells.map((c) => c.level) };
}

/**
 * For each cell, the cells with exactly one more dimension fixed (its direct parts). Cells that
 * `outside` names (labelled figures with parts of their own) are not part of the lattice.
 */
export function findChildren(valuesOf: ReadonlyArray<ReadonlyArray<string | null>>, outside: (cell: number) => boolean = () => false): number[][] {
  const indexByKey = new Map<string, number>();
  const keyOf = (values: ReadonlyArray<string | null>): string => JSON.stringify(values);
  valuesOf.forEach((values, i) => {
    if (!outside(i)) indexByKey.set(keyOf(values), i);
  });
  const children: number[][] = valuesOf.map(() => []);
  valuesOf.forEach((values, i) => {
    if (outside(i)) return;
    values.forEach((value, d) => {
      if (value === null) return;
      const parent = indexByKey.get(keyOf(values.map((v, e) => (e === d ? null : v))));
      if (parent !== undefined) children[parent]?.push(i);
    });
  });
  return children;
}
