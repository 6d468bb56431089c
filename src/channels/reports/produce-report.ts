import type { Readable } from 'node:stream';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { PseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import { addNoise } from './add-noise.ts';
import { ContributionBounds } from './contribution-bounds.ts';
import { cryptoUniform } from './discrete-laplace.ts';
import { planNoise } from './plan-noise.ts';
import type { PublishedTable } from './release-ledger.ts';
import { readParticipation, type ReadSummary } from './read-participation.ts';
import { resolveReportingPeriod } from './reporting-period.ts';
import { ReportInputError } from './report-error.ts';
import { buildReportTable } from './report-table.ts';
import { protectTable, type PublishedFigure, type PublishedTable as ProtectionPriorTable } from './protection/index.ts';
import type { ReportTable } from './report-table.ts';
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
   * Tables this grant already published whose periods overlap this one (from the release ledger,
   * see selectOverlapping): the report is to be protected jointly with them.
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
  // Memoized for the run: people repeat, and the memo is no larger than the people map itself.
  const memo = new Map<string, number>();
  const personOf = (identifier: string): number => {
    let n = memo.get(identifier);
    if (n === undefined) {
      const pseudonym = options.pseudonyms.pseudonymize(contract.id, identifier);
      n = 0;
      for (let i = 0; i < 10; i++) n = n * 32 + BASE32.indexOf(pseudonym[i] ?? 'a');
      memo.set(identifier, n);
    }
    return n;
  };
  const bounds = report.noise ? new ContributionBounds({ maxAttendances: report.noise.maxAttendancesPerPerson, maxCells: report.noise.maxCellsPerPerson }) : undefined;
  const onProgress = options.onProgress;
  const { tally, summary } = await readParticipation(input, {
    report,
    ...(period ? { period } : {}),
    personOf,
    now: options.now,
    ...(bounds ? { bounds } : {}),
    ...(onProgress ? { onRowsRead: (rowsRead: number) => onProgress({ phase: 'reading', rowsRead }) } : {}),
  });
  onProgress?.({ phase: 'protecting', rowsRead: summary.rowsRead });
  const plan = report.noise ? planNoise(report.noise, report.measures) : undefined;
  // With noise, the detailed cells are noised once and margins summed before anything else, so
  // protection (suppression and its audit) applies to the noisy counts (post-processing), never
  // to exact ones.
  const exact = buildReportTable(tally, report);
  const table = plan ? addNoise(exact, plan, report.measures, options.uniform ?? cryptoUniform) : exact;
  const priorTables = plan || !period ? [] : ledgerFiguresOf(table, period, options.priorTables ?? []);
  const protection = await protectTable(table, {
    minCellSize: report.minCellSize,
    measures: report.measures,
    ...(report.protection ? { protection: report.protection } : {}),
    ...(report.suppressionCost ? { suppressionCost: report.suppressionCost } : {}),
    sensitiveDimensions: report.dimensions.flatMap((d, i) => (d.sensitive ? [i] : [])),
    ...(plan ? { noisy: true } : {}),
    ...(priorTables.length > 0 ? { priorTables } : {}),
    ...(onProgress ? { onAuditing: () => onProgress({ phase: 'auditing', rowsRead: summary.rowsRead }) } : {}),
  });
  for (const i of protection.suppressed) {
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

/**
 * The ledger's tables as protectTable's prior tables: each published figure as a known sum of
 * this table's cells. Only a table of exactly this period and these dimensions can be expressed
 * that way (a re-issue): each of its figures is then one cell of this table, and it is kept only
 * when it equals that cell's count today (a figure over data since corrected is no relation the
 * attacker model may assume; it would make the model infeasible).
 *
 * Not expressible, so not fed to the attacker model (they are only counted in
 * summary.linkedTables, as before this merge): tables of another, overlapping period (a month of
 * this quarter, the quarter of this month), whose figures sum over days this table does not split
 * by; tables with other dimensions; and every ledger table when this report has noise (its
 * figures were independent noisy draws, not sums of this table's noisy figures). Joint
 * protection across such tables needs the detailed data of both periods; it is not done here.
 */
export function ledgerFiguresOf(table: ReportTable, period: { readonly start: string; readonly end: string }, ledger: ReadonlyArray<PublishedTable>): ProtectionPriorTable[] {
  const indexByValues = new Map<string, number>();
  table.cells.forEach((cell, i) => indexByValues.set(JSON.stringify(cell.values), i));
  const sameDimensions = (dimensions: ReadonlyArray<string>): boolean => dimensions.length === table.dimensions.length && dimensions.every((d, i) => d === table.dimensions[i]);
  const tables: ProtectionPriorTable[] = [];
  for (const prior of ledger) {
    if (prior.start !== period.start || prior.end !== period.end || !sameDimensions(prior.dimensions)) continue;
    const figures: PublishedFigure[] = [];
    for (const row of prior.rows) {
      const cell = indexByValues.get(JSON.stringify(row.values));
      if (cell === undefined) continue;
      const current = table.cells[cell];
      if (!current) continue;
      for (const measure of ['participants', 'attendances'] as const) {
        const value = row.counts[measure];
        if (value === null || value === undefined || value !== current[measure]) continue;
        figures.push({ cells: [cell], measure, value });
      }
    }
    if (figures.length > 0) tables.push({ figures });
  }
  return tables;
}
