import { z } from 'zod';
import { ReportInputError } from './report-error.ts';
import type { ReportingPeriod } from './reporting-period.ts';

const LEDGER_FORMAT = 'grant-release-ledger/1';

const figure = z.number().int().min(0).nullable();
const publishedTableSchema = z.strictObject({
  period: z.string().regex(/^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$/),
  start: z.iso.date(),
  end: z.iso.date(),
  publishedAt: z.iso.datetime(),
  minCellSize: z.number().int().min(1),
  dimensions: z.array(z.string()).min(1),
  measures: z.array(z.enum(['participants', 'attendances'])).min(1),
  rows: z.array(z.strictObject({ values: z.array(z.string().nullable()), counts: z.record(z.string(), figure) })),
});
const ledgerSchema = z.strictObject({
  format: z.literal(LEDGER_FORMAT),
  grant: z.string().min(1),
  releases: z.array(publishedTableSchema),
});

/** One table a grant has published: aggregates only (the figures as published, `null` where suppressed). */
export type PublishedTable = z.output<typeof publishedTableSchema>;

/**
 * What a grant has already published, so that a new report can be protected jointly with every
 * table it overlaps (a quarter and its months, a period re-issued): differencing them must give
 * nothing. It holds only published figures, never anything about a person.
 */
export type ReleaseLedger = z.output<typeof ledgerSchema>;

export function createEmptyLedger(grant: string): ReleaseLedger {
  return { format: LEDGER_FORMAT, grant, releases: [] };
}

/** Reads a ledger's text; a clear error (no figures repeated) when it is not one, or belongs to another grant. */
export function parseLedger(text: string, grant: string): ReleaseLedger {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ReportInputError('the release ledger is not JSON; restore it from a backup (it records what this grant already published)');
  }
  const result = ledgerSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') ?? '';
    throw new ReportInputError(`the release ledger is not a ${LEDGER_FORMAT} file (at ${path || 'the top'}: ${issue?.message ?? 'invalid'}); restore it from a backup`);
  }
  if (result.data.grant !== grant) throw new ReportInputError(`the release ledger belongs to grant "${result.data.grant}", not "${grant}"; give this grant's ledger`);
  return result.data;
}

/** The published tables whose period shares at least one day with `period` (the ones a new report must be protected with). */
export function selectOverlapping(ledger: ReleaseLedger, period: { readonly start: string; readonly end: string }): PublishedTable[] {
  return ledger.releases.filter((table) => table.start <= period.end && table.end >= period.start);
}

/**
 * The published tables linked to `period`: those sharing a day with it, and, again and again,
 * those sharing a day with the span these cover (after the quarter and August, a report for July
 * is linked with both: the quarter minus July and August is September). A new report is
 * protected jointly with all of them.
 */
export function selectLinked(ledger: ReleaseLedger, period: { readonly start: string; readonly end: string }): PublishedTable[] {
  let span = { start: period.start, end: period.end };
  for (;;) {
    const linked = selectOverlapping(ledger, span);
    const start = linked.reduce((s, t) => (t.start < s ? t.start : s), span.start);
    const end = linked.reduce((e, t) => (t.end > e ? t.end : e), span.end);
    if (start === span.start && end === span.end) return linked;
    span = { start, end };
  }
}

/** What a ledger keeps of a published report (a GrantReport is one). */
export interface PublishedReport {
  readonly generatedAt: string;
  readonly minCellSize: number;
  readonly dimensions: ReadonlyArray<string>;
  readonly measures: ReadonlyArray<'participants' | 'attendances'>;
  readonly rows: ReadonlyArray<{ readonly values: ReadonlyArray<string | null>; readonly counts: Readonly<Record<string, number | null>> }>;
}

/** The ledger with a newly published report added: its figures as published (suppressed ones `null`). */
export function recordRelease(ledger: ReleaseLedger, report: PublishedReport, period: ReportingPeriod): ReleaseLedger {
  const table: PublishedTable = {
    period: period.text,
    start: period.start,
    end: period.end,
    publishedAt: report.generatedAt,
    minCellSize: report.minCellSize,
    dimensions: [...report.dimensions],
    measures: [...report.measures],
    rows: report.rows.map((row) => ({ values: [...row.values], counts: { ...row.counts } })),
  };
  return { ...ledger, releases: [...ledger.releases, table] };
}

export function renderLedger(ledger: ReleaseLedger): string {
  return `${JSON.stringify(ledger, null, 2)}\n`;
}
