import type { Readable } from 'node:stream';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { PseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import { cryptoUniform, drawDiscreteLaplace } from './discrete-laplace.ts';
import { parsePeriod } from './generalize-dimension.ts';
import { readParticipation, type ReadSummary } from './read-participation.ts';
import { ReportInputError } from './report-error.ts';
import { buildReportTable } from './report-table.ts';
import { protectTable } from './protection/index.ts';

export type Measure = 'participants' | 'attendances';

/** A finished grant report: only aggregates, generalized, with small cells suppressed. */
export interface GrantReport {
  readonly grant: { readonly id: string; readonly name: string; readonly reference: string };
  readonly period?: string;
  readonly generatedAt: string;
  readonly minCellSize: number;
  readonly noise?: { readonly mechanism: 'discrete-laplace'; readonly epsilon: number };
  readonly dimensions: ReadonlyArray<string>;
  readonly measures: ReadonlyArray<Measure>;
  /** One row per cell; `null` dimension values are totals; `null` measures are suppressed (published as `<k`). */
  readonly rows: ReadonlyArray<{ readonly values: ReadonlyArray<string | null>; readonly counts: Readonly<Record<string, number | null>>; readonly total: boolean }>;
  readonly summary: ReadSummary & {
    readonly cellsPublished: number;
    /** How many cells are suppressed (one number: which kind each is would help an attacker). */
    readonly cellsSuppressed: number;
    readonly generalizations: ReadonlyArray<{ readonly dimension: string; readonly from: string; readonly generalize: string }>;
  };
}

export interface ProduceOptions {
  readonly period?: string;
  readonly pseudonyms: PseudonymKeys;
  readonly now: Date;
  /** The noise generator's uniform source (tests pass a seeded one); cryptographic by default. */
  readonly uniform?: () => number;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Produces a grant's report from a participation CSV stream: read and generalize, count people by
 * pseudonym, build the table and its totals, suppress, then add noise if the contract asks for it.
 */
export async function produceGrantReport(input: Readable, contract: CompiledContract, options: ProduceOptions): Promise<GrantReport> {
  const report = contract.report;
  if (contract.kind !== 'grant' || !report) throw new ReportInputError(`${contract.id} is not a grant programme (kind: grant with a report section)`);
  const period = options.period === undefined ? undefined : parsePeriod(options.period);
  if (options.period !== undefined && !period) throw new ReportInputError('--period must be a year (2026), a quarter (2026-Q3) or a month (2026-07)');
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
  const { tally, summary } = await readParticipation(input, { report, ...(period ? { period } : {}), personOf, now: options.now });
  const table = buildReportTable(tally, report);
  const protection = await protectTable(table, {
    minCellSize: report.minCellSize,
    measures: report.measures,
    ...(report.protection ? { protection: report.protection } : {}),
    ...(report.suppressionCost ? { suppressionCost: report.suppressionCost } : {}),
    sensitiveDimensions: report.dimensions.flatMap((d, i) => (d.sensitive ? [i] : [])),
  });
  for (const i of protection.suppressed) {
    const cell = table.cells[i];
    if (cell) cell.suppressed = 'complementary';
  }
  const noisy = (n: number): number => (report.noise ? Math.max(0, n + drawDiscreteLaplace(report.noise.epsilon, options.uniform ?? cryptoUniform)) : n);
  const rows = table.cells.map((cell) => ({
    values: cell.values,
    total: cell.level > 0,
    counts: Object.fromEntries(report.measures.map((m) => [m, cell.suppressed ? null : noisy(m === 'participants' ? cell.participants : cell.attendances)])),
  }));
  return {
    grant: { id: contract.id, name: contract.name, reference: contract.contract.reference },
    ...(options.period ? { period: options.period } : {}),
    generatedAt: options.now.toISOString(),
    minCellSize: report.minCellSize,
    ...(report.noise ? { noise: report.noise } : {}),
    dimensions: table.dimensions,
    measures: report.measures,
    rows,
    summary: {
      ...summary,
      cellsPublished: rows.length,
      cellsSuppressed: protection.suppressed.length,
      generalizations: report.dimensions.map((d) => ({ dimension: d.name, from: d.from, generalize: d.generalize })),
    },
  };
}
