import { parsePeriod } from './generalize-dimension.ts';
import { ReportInputError } from './report-error.ts';

export type PeriodKind = 'month' | 'quarter' | 'year';

/** A reporting period: its text (2026-Q3), its kind, and its first and last day (YYYY-MM-DD). */
export interface ReportingPeriod {
  readonly text: string;
  readonly kind: PeriodKind;
  readonly start: string;
  readonly end: string;
}

const EXAMPLES: Readonly<Record<PeriodKind, string>> = { year: '2026', quarter: '2026-Q3', month: '2026-07' };

/** The kind of a period text that parsePeriod accepted (2026, 2026-Q3 or 2026-07). */
function kindOf(text: string): PeriodKind {
  if (text.length === 4) return 'year';
  return text.includes('Q') ? 'quarter' : 'month';
}

/**
 * Resolves --period against the contract's `report.period`. When the contract names its reporting
 * period, --period is required and must be exactly one such period (a quarter for a quarterly
 * grant): reports for other spans could be subtracted from each other. Without `report.period`,
 * any one year, quarter or month, or none. Errors start with `--period` (a usage error).
 */
export function resolveReportingPeriod(text: string | undefined, required: PeriodKind | undefined): ReportingPeriod | undefined {
  if (text === undefined) {
    if (required) throw new ReportInputError(`--period is required: this grant reports by ${required} (report.period), such as ${EXAMPLES[required]}`);
    return undefined;
  }
  const range = parsePeriod(text);
  if (!range) throw new ReportInputError('--period must be a year (2026), a quarter (2026-Q3) or a month (2026-07)');
  const kind = kindOf(text);
  if (required && kind !== required) throw new ReportInputError(`--period must be one ${required} (report.period of this grant), such as ${EXAMPLES[required]}; a ${kind} was given`);
  return { text, kind, ...range };
}
