import type { Readable } from 'node:stream';
import type { CompiledReport } from '../../contracts/compiled-contract.ts';
import { generalizeDimension, normalizeDate } from './generalize-dimension.ts';
import type { ContributionBounds } from './contribution-bounds.ts';
import { FingerprintSet } from './fingerprint-set.ts';
import { fingerprintFields } from './fingerprint-fields.ts';
import { ParticipationTally } from './participation-tally.ts';
import { ReportInputError } from './report-error.ts';
import { createUtf8Validator } from './utf8-lines.ts';
import { createCsvRecordReader, CsvSyntaxError } from './csv-records.ts';

/** Rows set aside, by reason: how many, and the first line numbers (never the values). */
export type Rejections = Record<string, { count: number; lines: number[] }>;

export interface ReadSummary {
  rowsRead: number;
  rowsUsed: number;
  blankLines: number;
  rejected: Rejections;
  /** Rows outside --period (not errors). */
  outsidePeriod: number;
  /** How many input columns the grant does not use (dropped as they were read). */
  columnsDropped: number;
  /** The dropped columns whose names are known participation fields (other names are not repeated: a file without a header would put values there). */
  knownColumnsDropped: string[];
}

export interface ReadOptions {
  readonly report: CompiledReport;
  /** First and last day (YYYY-MM-DD) to include, from --period. */
  readonly period?: { readonly start: string; readonly end: string };
  /** Turns a patron identifier into a number derived from its pseudonym; called only when participants are counted. */
  readonly personOf: (identifier: string) => number;
  /** Used for ages when the file has no attendance date. */
  readonly now: Date;
  /** With noise: what one person may contribute (rows past the bounds are not counted). */
  readonly bounds?: ContributionBounds;
  /**
   * For a report linked to published tables: the period piece of an attendance date (and, when
   * the linked tables reach beyond the period, whether it lies in the period), tallied as more
   * (last) dimensions that are never published. `count` values for every row.
   */
  readonly pieces?: { readonly count: number; readonly of: (date: string) => ReadonlyArray<string> };
  /**
   * A wider span than `period` to read (the span of the published tables linked to the report):
   * rows in it but outside `period` are tallied (with their piece) yet counted as outside the
   * period, never as used or rejected.
   */
  readonly span?: { readonly start: string; readonly end: string };
  /** Told the rows read so far: 0 once the header is accepted, then every PROGRESS_ROWS rows (a count only). */
  readonly onRowsRead?: (rowsRead: number) => void;
}

/** How often onRowsRead is told. */
export const PROGRESS_ROWS = 5000;

const LINES_KEPT_PER_REASON = 10;

/** Column names messages may repeat: the participation fields (any other header could be a value). */
const KNOWN_COLUMNS: ReadonlySet<string> = new Set(
  ['patronId', 'barcode', 'birthDate', 'postalCode', 'branch', 'program', 'date', 'firstName', 'lastName', 'name', 'email', 'phone', 'address', 'street', 'city', 'state', 'notes', 'age', 'school', 'grade', 'gender'].map((c) => c.toLowerCase()),
);

/**
 * Streams a participation CSV into a tally. Columns the grant's contract does not use are dropped
 * as they are read; each row is checked and either counted or set aside with a reason and its line
 * number. Fails at once, with a clear message, on a file that is empty, not UTF-8, or missing a
 * required column. Memory grows with people and cells, plus 8 to 16 bytes a row (outside the
 * JavaScript heap) to recognize double entries.
 */
export async function readParticipation(input: Readable, options: ReadOptions): Promise<{ tally: ParticipationTally; summary: ReadSummary }> {
  const { report } = options;
  // People are told apart to count participants, and to bound each one's contribution to noise.
  const countPeople = report.measures.includes('participants') || options.bounds !== undefined;
  const tally = new ParticipationTally(report.dimensions.length + (options.pieces?.count ?? 0));
  const summary: ReadSummary = { rowsRead: 0, rowsUsed: 0, blankLines: 0, rejected: {}, outsidePeriod: 0, columnsDropped: 0, knownColumnsDropped: [] };
  const reject = (reason: string, line: number): void => {
    const entry = (summary.rejected[reason] ??= { count: 0, lines: [] });
    entry.count += 1;
    if (entry.lines.length < LINES_KEPT_PER_REASON) entry.lines.push(line);
  };
  const seen = new FingerprintSet();

  const validator = createUtf8Validator();
  input.on('error', (error) => validator.destroy(error));

  let header: string[] | undefined;
  let columns: { id: number; idKind: 'patronId' | 'barcode' | undefined; date: number; dims: number[]; width: number } | undefined;
  const handle = (record: string[], line: number): void => {
    const blank = record.length === 1 ? (record[0] ?? '').trim() === '' : record.every((f) => f.trim() === '');
    if (!header) {
      if (blank) {
        summary.blankLines += 1;
        return;
      }
      header = record.map((h) => h.trim());
      columns = locateColumns(header, report, countPeople, options.period !== undefined);
      const dropped = header.filter((_, i) => i !== columns?.id && i !== columns?.date && !columns?.dims.includes(i));
      summary.columnsDropped = dropped.length;
      summary.knownColumnsDropped = dropped.filter((name) => KNOWN_COLUMNS.has(name.toLowerCase()));
      options.onRowsRead?.(0);
      return;
    }
    if (blank) {
      summary.blankLines += 1;
      return;
    }
    summary.rowsRead += 1;
    if (summary.rowsRead % PROGRESS_ROWS === 0) options.onRowsRead?.(summary.rowsRead);
    if (!columns) return;
    if (record.length !== columns.width) {
      reject('wrong number of columns', line);
      return;
    }
    let at = options.now;
    let dateText: string | undefined;
    // A row of the linked span outside the period: tallied, but reported as outside the period.
    let outside = false;
    const setAside = (reason: string): void => {
      if (outside) summary.outsidePeriod += 1;
      else reject(reason, line);
    };
    if (columns.date >= 0) {
      dateText = normalizeDate(record[columns.date] ?? '');
      if (!dateText) {
        reject('unparseable date', line);
        return;
      }
      if (options.period && (dateText < options.period.start || dateText > options.period.end)) {
        if (!options.span || dateText < options.span.start || dateText > options.span.end) {
          summary.outsidePeriod += 1;
          return;
        }
        outside = true;
      }
      at = new Date(`${dateText}T12:00:00Z`);
    }
    const identifier = columns.id >= 0 ? (record[columns.id] ?? '').trim() : '';
    if (countPeople && identifier === '') {
      setAside('no patronId or barcode');
      return;
    }
    const values: string[] = [];
    let problem: string | undefined;
    for (let d = 0; d < report.dimensions.length; d++) {
      const dimension = report.dimensions[d];
      if (!dimension) return;
      const result = generalizeDimension(dimension, record[columns.dims[d] ?? -1] ?? '', at);
      if ('problem' in result) {
        problem = `${dimension.from}: ${result.problem}`;
        break;
      }
      values.push(result.value);
    }
    if (problem) {
      setAside(problem);
      return;
    }
    if (options.pieces) values.push(...options.pieces.of(dateText ?? ''));
    // A row identical in every column of the input is a double entry: count it once. Rows that
    // differ anywhere (the same child at two programmes on one day, even when the report does not
    // publish programmes) are two attendances.
    const fingerprint = fingerprintFields(record);
    if (!seen.add(fingerprint)) {
      setAside('duplicate row');
      return;
    }
    const person = countPeople ? options.personOf(`${columns.idKind}:${identifier}`) : undefined;
    if (options.bounds && person !== undefined && !options.bounds.admit(person, values.join('\u0000'))) return;
    tally.add(values, person);
    if (outside) summary.outsidePeriod += 1;
    else summary.rowsUsed += 1;
  };
  // Records are handled synchronously as each piece of text is read, with the line they end on.
  const reader = createCsvRecordReader(handle);
  try {
    await new Promise<void>((resolve, reject) => {
      validator.on('data', (text: string) => {
        try {
          reader.push(text);
        } catch (error) {
          validator.destroy(error as Error);
        }
      });
      validator.on('end', () => {
        try {
          reader.end();
          resolve();
        } catch (error) {
          reject(error as Error);
        }
      });
      validator.on('error', reject);
      input.pipe(validator);
    });
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      const reason = error.code.replace(/^CSV_/, '').toLowerCase().replace(/_/g, ' ');
      throw new ReportInputError(`line ${error.lines}: the file is not valid CSV (${reason}); check quotes and separators`);
    }
    throw error;
  }
  if (!header) throw new ReportInputError('the file is empty: it needs a header row and one row per attendance');
  return { tally, summary };
}

function locateColumns(header: string[], report: CompiledReport, countPeople: boolean, needsDate: boolean) {
  const find = (name: string): number => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const missing: string[] = [];
  const patronId = find('patronId');
  const barcode = find('barcode');
  const idKind = patronId >= 0 ? ('patronId' as const) : barcode >= 0 ? ('barcode' as const) : undefined;
  if (countPeople && !idKind) missing.push('patronId (or barcode)');
  const dims = report.dimensions.map((d) => {
    const index = find(d.from);
    if (index < 0 && !missing.includes(d.from)) missing.push(d.from);
    return index;
  });
  const usesDate = needsDate || report.dimensions.some((d) => d.from === 'date' || d.from === 'birthDate');
  const date = find('date');
  if (needsDate && date < 0 && !missing.includes('date')) missing.push('date');
  if (missing.length > 0) {
    const known = header.filter((h) => KNOWN_COLUMNS.has(h.toLowerCase()));
    throw new ReportInputError(
      `line 1: missing required column(s): ${missing.join(', ')}. The header row has ${header.length} column(s)${known.length > 0 ? `; recognized: ${known.join(', ')}` : ', none of them recognized (is the first row a header?)'}`,
    );
  }
  return { id: idKind === 'patronId' ? patronId : barcode, idKind, date: usesDate ? date : -1, dims, width: header.length };
}
