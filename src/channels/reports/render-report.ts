import { html, type SafeHtml } from '../../lib/html.ts';
import { renderCsv, type CsvCell } from '../../lib/render-csv.ts';
import { renderBarChart } from '../../lib/svg-bar-chart.ts';
import type { GrantReport } from './produce-report.ts';
import { describeRowKind, ROW_KIND_COLUMN, SUPPRESSED_MARKER } from './suppression-marker.ts';

type Row = GrantReport['rows'][number];

/** A figure as printed: the count, or the one marker for a suppressed figure. */
function showFigure(count: number | null | undefined): string {
  return String(count ?? SUPPRESSED_MARKER);
}

/** The headers of every tabular format: the row kind, one column per dimension, one per measure. */
function headersOf(report: GrantReport): string[] {
  return [ROW_KIND_COLUMN, ...report.dimensions, ...report.measures];
}

/** A row's text cells before its figures: its kind (so a branch named `Total` is never taken for a margin), then its values. */
function labelsOf(row: Row): string[] {
  return [describeRowKind(row.summedOver), ...row.values.map((v) => v ?? 'Total')];
}

/**
 * One header row; the row kind (`cell`, or `total over` the dimensions a margin sums), one column
 * per dimension (as named in the contract), then one per measure. Suppressed figures are `x`,
 * explained in a footnote after a blank line. Counts are numbers; every text cell that a
 * spreadsheet could run as a formula is neutralized (see renderCsv).
 */
export function renderReportCsv(report: GrantReport): string {
  const records: CsvCell[][] = [headersOf(report)];
  for (const row of report.rows) records.push([...labelsOf(row), ...report.measures.map((m) => row.counts[m] ?? SUPPRESSED_MARKER)]);
  records.push([], [report.footnote]);
  return renderCsv(records);
}

export function renderReportJson(report: GrantReport): string {
  return `${JSON.stringify({ ...report, suppressedMarker: SUPPRESSED_MARKER }, null, 2)}\n`;
}

/** The minimization summary as text (what `gateway report` prints to standard error for CSV). */
export function renderReportSummary(report: GrantReport): string {
  const s = report.summary;
  const lines = [
    `Grant report for ${report.grant.name} (${report.grant.id}, ${report.grant.reference})${report.period ? `, period ${report.period}` : ''}`,
    `Rows read: ${s.rowsRead}; used: ${s.rowsUsed}; outside the period: ${s.outsidePeriod}; blank lines skipped: ${s.blankLines}`,
  ];
  const reasons = Object.entries(s.rejected);
  if (reasons.length === 0) lines.push('Rows rejected: none');
  for (const [reason, { count, lines: at }] of reasons) lines.push(`Rows rejected (${reason}): ${count}, at line(s) ${at.join(', ')}${count > at.length ? ', ...' : ''}`);
  lines.push(`Columns dropped as read: ${s.columnsDropped}${s.knownColumnsDropped.length > 0 ? ` (including ${s.knownColumnsDropped.join(', ')})` : ''}`);
  lines.push(`Generalizations: ${s.generalizations.map((g) => `${g.from} -> ${g.dimension} (${g.generalize})`).join('; ')}`);
  lines.push(`Cells in the table: ${s.cellsPublished}; figures: ${s.figures}, of which suppressed (shown as ${SUPPRESSED_MARKER}): ${s.figuresSuppressed}`);
  lines.push(`Published tables of this grant linked to this period (release ledger): ${s.linkedTables}`);
  lines.push(report.noise ? describeNoise(report.noise) : 'Noise: none (exact counts)');
  lines.push(`Footnote: ${report.footnote}`);
  return lines.join('\n');
}

function describeNoise(noise: NonNullable<GrantReport['noise']>): string {
  return `Noise: discrete Laplace, epsilon ${noise.epsilon} per person (each person counts for at most ${noise.maxAttendancesPerPerson} attendance(s) in at most ${noise.maxCellsPerPerson} cell(s); each detailed figure gets epsilon ${noise.epsilonPerFigure}; totals are sums of the noisy cells, so a person in two cells counts twice in a participants total)`;
}

/** A standalone page a grant officer can attach to a report: the table, a chart and the summary. */
export function renderReportHtml(report: GrantReport): string {
  const first = report.measures[0] ?? 'participants';
  const byFirstDimension = report.rows.filter((r) => r.values[0] !== null && r.values.slice(1).every((v) => v === null));
  const bars = (byFirstDimension.length > 0 ? byFirstDimension : report.rows.filter((r) => !r.total)).map((r) => ({ label: r.values.map((v) => v ?? 'Total').join(' / '), value: r.counts[first] ?? null }));
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${report.grant.name}: participation report</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}table{border-collapse:collapse;max-width:100%}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left;overflow-wrap:anywhere}pre{white-space:pre-wrap;overflow-wrap:anywhere}td.n{text-align:right}tr.total{font-weight:600;background:#f2f2f2}</style>
</head><body><main>
<h1>${report.grant.name}: participation report</h1>
<p>Grant ${report.grant.reference}${report.period ? html`, period ${report.period}` : ''}. Generated ${report.generatedAt.slice(0, 10)}.${report.noise ? html` Counts include random noise (discrete Laplace, epsilon ${report.noise.epsilon} per person).` : ''}</p>
<h2>${first} by ${report.dimensions[0] ?? ''}</h2>
${renderBarChart({ id: 'chart', title: `${first} by ${report.dimensions[0] ?? ''} (figures not published are marked ${SUPPRESSED_MARKER})`, bars, missingMarker: SUPPRESSED_MARKER })}
<h2>Table</h2>
${renderReportTableHtml(report)}
<h2>How this report was minimized</h2>
<pre>${renderReportSummary(report)}</pre>
</main></body></html>`.value}`;
}

/** The table as HTML with its footnote: the same cells as the CSV (the console preview uses it too). */
export function renderReportTableHtml(report: GrantReport): SafeHtml {
  return html`<table><thead><tr>${headersOf(report).map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${report.rows.map((r) => html`<tr${r.total ? html` class="total"` : ''}>${labelsOf(r).map((v) => html`<td>${v}</td>`)}${report.measures.map((m) => html`<td class="n" data-measure="${m}">${showFigure(r.counts[m])}</td>`)}</tr>`)}</tbody></table>
<p class="footnote">${report.footnote}</p>`;
}
