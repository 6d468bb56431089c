import type { CompiledDimension, CompiledReport } from '../../contracts/compiled-contract.ts';
import type { ParticipationTally } from './participation-tally.ts';
import { isPieceWithin, labelPiece, type DaySpan } from './period-pieces.ts';
import { ReportProtectionError, type ProtectionCell, type ProtectionTable, type PublishedFigure, type PublishedTable as PriorTable } from './protection/index.ts';
import type { PublishedTable } from './release-ledger.ts';
import { buildReportTable } from './report-table.ts';

/** The never-published dimension of a joint model: which period piece an attendance falls in. */
const PIECE_DIMENSION: CompiledDimension = Object.freeze({ name: 'period piece', from: 'date', generalize: 'none' });

/** When linked tables reach beyond the period: whether a piece lies in it (the published cells sum these). */
const SEGMENT_DIMENSION: CompiledDimension = Object.freeze({ name: 'in the period', from: 'date', generalize: 'none' });
export const INSIDE = 'inside';
export const OUTSIDE = 'outside';

/** A new report's table and the published tables it overlaps, as one model for protectTable. */
export interface LinkedTable {
  readonly table: ProtectionTable;
  /** Figures of the published tables the attacker knows, as known values of the model's cells. */
  readonly priorTables: ReadonlyArray<PriorTable>;
  /** For each cell of the model this report publishes: its values, to find it in the report's own table. */
  readonly published: ReadonlyMap<number, string>;
}

/**
 * Builds the joint model of a new report and every published table its period overlaps (release
 * ledger), so that differencing them gives nothing ("the quarter minus July and August is
 * September").
 *
 * The finest unknowns are (period piece x detailed cell): the pieces are the spans the published
 * tables inside this period cover (splitIntoPieces), and the tally carries each attendance's
 * piece as a last dimension. The new table's figures are sums over pieces; the pieces themselves
 * are hidden (never published), and every small piece, like every small figure, is a sensitive
 * quantity. Each published table is linked through its dimensions, which must all be dimensions of
 * this report (a coarser table, such as branch only before branch x programme, is linked; a table
 * with a dimension this report lacks is refused: its figures are no sums of this table's cells).
 * Each published figure is then the sum of the pieces and cells it covers: a figure that equals
 * today's count over its span is a known value; a suppressed figure is audited like this report's
 * own small cells (the new table must not narrow it). Inside this period, a figure that differs
 * from today's count (noise, or data corrected since) is no exact relation and is left out.
 *
 * When the linked tables reach beyond this period (`reachesOut`: a quarter published before one
 * of its months, with the quarter's other months), the tally covers their whole span, with a
 * second hidden dimension saying whether a piece lies in this period: this report's cells are
 * the sums of the pieces inside it, and the pieces outside are unknowns like the others. Every
 * published figure of a table that reaches outside this period must then equal today's count
 * (the input must hold that table's data as published); otherwise the report is refused, since
 * the rest of that table's period could not be audited.
 *
 * Throws ReportProtectionError for a published table that cannot be linked. Pure.
 */
export function buildLinkedTable(tally: ParticipationTally, report: CompiledReport, period: DaySpan, pieces: ReadonlyArray<DaySpan>, ledger: ReadonlyArray<PublishedTable>, reachesOut = false): LinkedTable {
  const split = pieces.length > 1 || reachesOut;
  const n = report.dimensions.length;
  const extra = reachesOut ? [SEGMENT_DIMENSION, PIECE_DIMENSION] : split ? [PIECE_DIMENSION] : [];
  const at = n + extra.length - 1; // where the piece is
  const cube = buildReportTable(tally, split ? { ...report, dimensions: [...report.dimensions, ...extra], totals: true } : report);
  const insideOf = new Map(pieces.map((p) => [labelPiece(p), isPieceWithin(p, period) ? INSIDE : OUTSIDE]));
  // A piece belongs to one segment (in the period or not): other combinations are no cells, and
  // a piece summed over segments is the piece itself.
  const consistent = (values: ReadonlyArray<string | null>): boolean => {
    if (!reachesOut) return true;
    const piece = values[n + 1];
    return piece === null || piece === undefined || values[n] === insideOf.get(piece);
  };
  const isPublished = (values: ReadonlyArray<string | null>): boolean => !split || (reachesOut ? values[n] === INSIDE && values[n + 1] === null : values[n] === null);
  // Without totals, only the report's detailed cells (and their pieces) are figures.
  const kept = cube.cells.flatMap((cell, i) => ((report.totals || cell.values.slice(0, n).every((v) => v !== null)) && consistent(cell.values) ? [i] : []));
  const indexOf = new Map(kept.map((old, i) => [old, i]));
  const cells: ProtectionCell[] = kept.map((old) => {
    const cell = cube.cells[old];
    if (!cell) throw new Error('a kept cell is missing');
    const hidden = !isPublished(cell.values);
    return { values: cell.values, attendances: cell.attendances, participants: cell.participants, level: cell.values.slice(0, n).filter((v) => v === null).length, ...(hidden ? { hidden: true } : {}) };
  });
  const sums: Array<readonly [number, ReadonlyArray<number>]> = [];
  for (const [margin, parts] of cube.sums) {
    const total = indexOf.get(margin);
    if (total !== undefined) sums.push([total, parts.flatMap((p) => (indexOf.has(p) ? [indexOf.get(p) ?? -1] : []))]);
  }
  const detailed = cells.flatMap((cell, i) => (cell.values.every((v) => v !== null) ? [i] : []));
  const byParts = new Map<string, number>(detailed.map((i) => [String(i), i]));
  for (const [total, parts] of sums) byParts.set([...parts].sort((a, b) => a - b).join(','), total);
  const published = new Map<number, string>();
  cells.forEach((cell, i) => {
    if (!cell.hidden) published.set(i, JSON.stringify(cell.values.slice(0, n)));
  });

  // Every published figure, as the cell of the model it equals (an existing one, or a new hidden sum).
  const links: Array<{ cell: number; inside: boolean; period: string; counts: Readonly<Record<string, number | null>> }> = [];
  const added: Array<{ parts: number[]; audited: boolean }> = [];
  ledger.forEach((prior) => {
    const positions = prior.dimensions.map((name) => report.dimensions.findIndex((d) => d.name === name));
    const missing = prior.dimensions.find((_, j) => (positions[j] ?? -1) < 0);
    if (missing !== undefined) {
      throw new ReportProtectionError(
        `the release ledger holds a table of ${prior.period} (linked to this period) with the dimension "${missing}", which this report does not have: its figures are no sums of this table's cells, so the two cannot be protected jointly; the report was not published (report with the dimensions of the published tables)`,
      );
    }
    const inside = prior.start >= period.start && prior.end <= period.end;
    const pieceIn = new Set(pieces.filter((p) => isPieceWithin(p, prior)).map(labelPiece));
    for (const row of prior.rows) {
      const parts = detailed.filter((i) => {
        const values = cells[i]?.values ?? [];
        if (split && !pieceIn.has(values[at] ?? '')) return false;
        return positions.every((d, j) => {
          const value = row.values[j];
          return value === null || values[d] === value;
        });
      });
      if (parts.length === 0) {
        // Nothing of today's input falls in it: only a zero (or a suppressed figure) can be the count.
        if (!inside && Object.values(row.counts).some((c) => c !== null && c !== 0)) throw uncovered(prior.period);
        continue;
      }
      const existing = byParts.get(parts.join(','));
      const suppressedRow = Object.values(row.counts).every((c) => c === null);
      let cell = existing;
      if (cell === undefined) {
        cell = cells.length + added.length;
        byParts.set(parts.join(','), cell);
        added.push({ parts, audited: suppressedRow });
      } else if (cell >= cells.length && suppressedRow) {
        const entry = added[cell - cells.length];
        if (entry) entry.audited = true;
      }
      links.push({ cell, inside, period: prior.period, counts: row.counts });
    }
  });
  const addedCells = countAdded(tally, cells, detailed, added, n + extra.length);
  const all = [...cells, ...addedCells];
  added.forEach((entry, j) => sums.push([cells.length + j, entry.parts]));

  const figures: PublishedFigure[] = [];
  const seen = new Set<string>();
  // Values seen only outside this period (a branch that opened in August, for a July report) are
  // no rows of this report: the attacker reads their absence as zeros inside the period.
  if (reachesOut) {
    const shown = Array.from({ length: n }, () => new Set<string>());
    for (const i of detailed) {
      const cell = all[i];
      if (!cell || cell.values[n] !== INSIDE || cell.attendances === 0) continue;
      cell.values.slice(0, n).forEach((v, d) => shown[d]?.add(v ?? ''));
    }
    all.forEach((cell, i) => {
      if (cell.hidden || cell.values.slice(0, n).every((v, d) => v === null || shown[d]?.has(v))) return;
      all[i] = { ...cell, audited: false };
      for (const measure of report.measures) figures.push({ cells: [i], measure, value: 0 });
      seen.add(`${i}:attendances`).add(`${i}:participants`);
    });
  }
  for (const link of links) {
    const cell = all[link.cell];
    if (!cell) continue;
    for (const measure of report.measures) {
      const value = link.counts[measure];
      if (value === null || value === undefined) continue;
      // A figure is the count over its span, or no exact relation at all (noise, corrected data);
      // outside this period, where the rest of its table is audited too, it must be the count.
      if (value !== cell[measure]) {
        if (link.inside) continue;
        throw uncovered(link.period);
      }
      const key = `${link.cell}:${measure}`;
      if (seen.has(key)) continue;
      seen.add(key);
      figures.push({ cells: [link.cell], measure, value: cell[measure] });
    }
  }
  return { table: { cells: all, sums }, priorTables: figures.length > 0 ? [{ figures }] : [], published };
}

/** A linked table outside this period whose figures today's input does not reproduce. */
function uncovered(period: string): ReportProtectionError {
  return new ReportProtectionError(
    `the release ledger holds a table of ${period}, which reaches beyond this period, and the input does not hold its data as published (a figure differs from today's count over its days): the rest of that period cannot be audited, so the report was not published (give an input that covers ${period} as it was published, or publish shorter periods before the longer period that contains them)`,
  );
}

/**
 * The hidden cells for published figures that are no cell of the model: attendances summed over
 * their parts, participants counted distinct from each person's combinations.
 */
function countAdded(tally: ParticipationTally, cells: ReadonlyArray<ProtectionCell>, detailed: ReadonlyArray<number>, added: ReadonlyArray<{ parts: number[]; audited: boolean }>, width: number): ProtectionCell[] {
  if (added.length === 0) return [];
  const addedOf = new Map<number, number[]>();
  added.forEach((entry, j) => {
    for (const part of entry.parts) {
      let list = addedOf.get(part);
      if (!list) addedOf.set(part, (list = []));
      list.push(j);
    }
  });
  const detailedByValues = new Map(detailed.map((i) => [JSON.stringify(cells[i]?.values ?? []), i]));
  const dictionaries = Array.from({ length: width }, (_, d) => tally.valuesOf(d));
  const detailedOfKey = (key: string): number | undefined => detailedByValues.get(JSON.stringify(key.split(',').map((index, d) => dictionaries[d]?.[Number(index)] ?? '')));
  const participants = new Array<number>(added.length).fill(0);
  const keyCache = new Map<string, number | undefined>();
  for (const keys of tally.cellsByPerson()) {
    const touched = new Set<number>();
    for (const key of keys) {
      let cell = keyCache.get(key);
      if (!keyCache.has(key)) keyCache.set(key, (cell = detailedOfKey(key)));
      for (const j of cell === undefined ? [] : (addedOf.get(cell) ?? [])) touched.add(j);
    }
    for (const j of touched) participants[j] = (participants[j] ?? 0) + 1;
  }
  return added.map((entry, j) => ({
    values: [`published figure ${j}`],
    attendances: entry.parts.reduce((s, p) => s + (cells[p]?.attendances ?? 0), 0),
    participants: participants[j] ?? 0,
    level: 0,
    hidden: true,
    audited: entry.audited,
    parts: entry.parts,
  }));
}
