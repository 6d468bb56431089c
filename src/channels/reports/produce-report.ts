import type { Readable } from 'node:stream';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { PseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import { addNoise } from './add-noise.ts';
import { FingerprintMap } from './fingerprint-map.ts';
import { fingerprintFields } from './fingerprint-fields.ts';
import { ContributionBounds } from './contribution-bounds.ts';
import { cryptoUniform } from './discrete-laplace.ts';
import { planNoise } from './plan-noise.ts';
import type { PublishedTable } from './release-ledger.ts';
import { readParticipation, type ReadSummary } from './read-participation.ts';
import { resolveReportingPeriod } from './reporting-period.ts';
import { ReportInputError } from './report-error.ts';
import { buildReportTable } from './report-table.ts';
import { buildLinkedTable, INSIDE, OUTSIDE } from './linked-tables.ts';
import { coverSpan, findPiece, splitIntoPieces } from './period-pieces.ts';
import { protectTable, type ProtectionOptions } from './protection/index.ts';
import { describeSuppression } from './suppression-marker.ts';

export type Measure = 'participants' | 'attendances';

/** A finished grant report: only aggregates, generalized, with small cells suppressed. */
export interface GrantReport {
  readonly grant: { readonly id: string; readonly name: string; readonly reference: string };
  readonly period?: string;
  readonly generatedAt: string;
  readonly minCellSize: number;
  /** With noise: epsilon per person, the contribution bounds it assumes, and the epsilon each detailed figure got. */
  readonly noise?: {
    readonly mechanism: 'discrete-laplace';
    readonly epsilon: number;
    readonly maxAttendancesPerPerson: number;
    readonly maxCellsPerPerson: number;
    readonly epsilonPerFigure: number;
  };
  readonly dimensions: ReadonlyArray<string>;
  readonly measures: ReadonlyArray<Measure>;
  /**
   * One row per cell; `null` dimension values are the ones a margin sums over (named in
   * `summedOver`, empty for a detailed cell); `null` measures are suppressed (published as `x`).
   */
  readonly rows: ReadonlyArray<{
    readonly values: ReadonlyArray<string | null>;
    readonly counts: Readonly<Record<string, number | null>>;
    readonly total: boolean;
    readonly summedOver: ReadonlyArray<string>;
  }>;
  /** What the marker means and how many figures carry it (every format prints it). */
  readonly footnote: string;
  readonly summary: ReadSummary & {
    readonly cellsPublished: number;
    /** Figures (cell × measure) in the table, and how many are suppressed: never of which kind. */
    readonly figures: number;
    readonly figuresSuppressed: number;
    /** How many already published tables of this grant overlap this report's period (from the release ledger). */
    readonly linkedTables: number;
    readonly generalizations: ReadonlyArray<{ readonly dimension: string; readonly from: string; readonly generalize: string }>;
  };
}

/** How far a report is: counts and a phase, nothing about a person. */
export interface ReportProgress {
  readonly phase: 'reading' | 'protecting' | 'auditing';
  /** Rows read so far (blank lines and the header not counted). */
  readonly rowsRead: number;
}

export interface ProduceOptions {
  readonly period?: string;
  readonly pseudonyms: PseudonymKeys;
  readonly now: Date;
  /** The noise generator's uniform source (tests pass a seeded one); cryptographic by default. */
  readonly uniform?: () => number;
  /**
   * Tables this grant already published that are linked to this period (from the release ledger,
   * see selectLinked: they overlap it, or overlap tables that do): the report is protected
   * jointly with them.
   */
  readonly priorTables?: ReadonlyArray<PublishedTable>;
  /** Told as the file is read (from the header on), when protection starts, and when its audit starts. */
  readonly onProgress?: (progress: ReportProgress) => void;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Produces a grant's report from a participation CSV stream: read and generalize, count people by
 * pseudonym, build the table and its totals, suppress, then add noise if the contract asks for it.
 */
export async function produceGrantReport(input: Readable, contract: CompiledContract, options: ProduceOptions): Promise<GrantReport> {
  const report = contract.report;
  if (contract.kind !== 'grant' || !report) throw new ReportInputError(`${contract.id} is not a grant programme (kind: grant with a report section)`);
  const reportingPeriod = resolveReportingPeriod(options.period, report.period);
  const period = reportingPeriod ? { start: reportingPeriod.start, end: reportingPeriod.end } : undefined;
  // People are counted by a number taken from their pseudonym for this grant: never by their id.
  // Memoized for the run (people repeat; the pseudonym keys' own cache, bounded and on the heap,
  // is then of no use: callers pass pseudonymCacheSize 0) by the identifier's 53-bit fingerprint, in a flat table
  // outside the heap: a false match (two identifiers, one fingerprint) is about as unlikely as
  // two pseudonyms sharing their first 50 bits, which counting by pseudonym already accepts.
  const memo = new FingerprintMap();
  const personOf = (identifier: string): number => {
    const key = fingerprintFields([identifier]);
    let n = memo.get(key);
    if (n === undefined) {
      const pseudonym = options.pseudonyms.pseudonymize(contract.id, identifier);
      n = 0;
      for (let i = 0; i < 10; i++) n = n * 32 + BASE32.indexOf(pseudonym[i] ?? 'a');
      memo.add(key, n);
    }
    return n;
  };
  const bounds = report.noise ? new ContributionBounds({ maxAttendances: report.noise.maxAttendancesPerPerson, maxCells: report.noise.maxCellsPerPerson }) : undefined;
  const onProgress = options.onProgress;
  const plan = report.noise ? planNoise(report.noise, report.measures) : undefined;
  // Published tables this period overlaps are protected jointly with it (see buildLinkedTable);
  // noisy reports are not: their figures are no exact sums, their noise protects them.
  const linked = plan || !period ? [] : (options.priorTables ?? []);
  // The span the linked tables cover (a quarter published before this month): read it all, split
  // into the pieces the tables' days and this period cut it into.
  const span = period && linked.length > 0 ? coverSpan(period, linked) : undefined;
  const reachesOut = period !== undefined && span !== undefined && (span.start < period.start || span.end > period.end);
  const pieces = period && span ? splitIntoPieces(span, [...linked, period]) : [];
  const extra = reachesOut
    ? { count: 2, of: (date: string): string[] => [period && date >= period.start && date <= period.end ? INSIDE : OUTSIDE, findPiece(pieces, date)] }
    : pieces.length > 1
      ? { count: 1, of: (date: string): string[] => [findPiece(pieces, date)] }
      : undefined;
  const { tally, summary } = await readParticipation(input, {
    report,
    ...(period ? { period } : {}),
    personOf,
    now: options.now,
    ...(bounds ? { bounds } : {}),
    ...(extra ? { pieces: extra } : {}),
    ...(reachesOut && span ? { span } : {}),
    ...(onProgress ? { onRowsRead: (rowsRead: number) => onProgress({ phase: 'reading', rowsRead }) } : {}),
  });
  onProgress?.({ phase: 'protecting', rowsRead: summary.rowsRead });
  // With noise, the detailed cells are noised once and margins summed before anything else, so
  // protection (suppression and its audit) applies to the noisy counts (post-processing), never
  // to exact ones.
  const own = reachesOut ? tally.withoutLastDimension().withoutLastDimension((segment) => segment === INSIDE) : extra ? tally.withoutLastDimension() : tally;
  const exact = buildReportTable(own, report);
  const table = plan ? addNoise(exact, plan, report.measures, options.uniform ?? cryptoUniform) : exact;
  const settings: ProtectionOptions = {
    minCellSize: report.minCellSize,
    measures: report.measures,
    ...(report.protection ? { protection: report.protection } : {}),
    ...(report.suppressionCost ? { suppressionCost: report.suppressionCost } : {}),
    sensitiveDimensions: report.dimensions.flatMap((d, i) => (d.sensitive ? [i] : [])),
    ...(plan ? { noisy: true } : {}),
    ...(onProgress ? { onAuditing: () => onProgress({ phase: 'auditing', rowsRead: summary.rowsRead }) } : {}),
  };
  let suppressed: ReadonlyArray<number>;
  if (period && linked.length > 0) {
    const joint = buildLinkedTable(tally, report, period, pieces, linked, reachesOut);
    const protection = await protectTable(joint.table, { ...settings, ...(joint.priorTables.length > 0 ? { priorTables: joint.priorTables } : {}) });
    const indexByValues = new Map(table.cells.map((cell, i) => [JSON.stringify(cell.values), i]));
    suppressed = protection.suppressed.flatMap((i) => {
      const own = indexByValues.get(joint.published.get(i) ?? '');
      return own === undefined ? [] : [own];
    });
  } else {
    suppressed = (await protectTable(table, settings)).suppressed;
  }
  for (const i of suppressed) {
    const cell = table.cells[i];
    if (cell) cell.suppressed = 'complementary';
  }
  const rows = table.cells.map((cell) => ({
    values: cell.values,
    total: cell.level > 0,
    summedOver: table.dimensions.filter((_, d) => cell.values[d] === null),
    counts: Object.fromEntries(report.measures.map((m) => [m, cell.suppressed ? null : m === 'participants' ? cell.participants : cell.attendances])),
  }));
  const figures = rows.length * report.measures.length;
  const figuresSuppressed = rows.reduce((n, row) => n + Object.values(row.counts).filter((c) => c === null).length, 0);
  return {
    grant: { id: contract.id, name: contract.name, reference: contract.contract.reference },
    ...(options.period ? { period: options.period } : {}),
    generatedAt: options.now.toISOString(),
    minCellSize: report.minCellSize,
    ...(report.noise && plan ? { noise: { ...report.noise, epsilonPerFigure: plan.epsilonPerFigure } } : {}),
    dimensions: table.dimensions,
    measures: report.measures,
    rows,
    footnote: describeSuppression(figuresSuppressed, figures),
    summary: {
      ...summary,
      cellsPublished: rows.length,
      figures,
      figuresSuppressed,
      linkedTables: options.priorTables?.length ?? 0,
      generalizations: report.dimensions.map((d) => ({ dimension: d.name, from: d.from, generalize: d.generalize })),
    },
  };
}
