import { html } from '../../lib/html.ts';
import { renderCsv, type CsvCell } from '../../lib/render-csv.ts';
import { renderBarChart } from '../../lib/svg-bar-chart.ts';
import type { GrantReport } from './produce-report.ts';

/**
 * One header row; one column per dimension (as named in the contract), then one per measure.
 * Totals say `Total`; suppressed values `<k`. Counts are numbers; every text cell that a
 * spreadsheet could run as a formula is neutralized (see renderCsv).
 */
export function renderReportCsv(report: GrantReport): string {
  const records: CsvCell[][] = [[...report.dimensions, ...report.measures]];
  for (const row of report.rows) {
    records.push([...row.values.map((v) => v ?? 'Total'), ...report.measures.map((m) => row.counts[m] ?? `<${report.minCellSize}`)]);
  }
  return renderCsv(records);
}

export function renderReportJson(report: GrantReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
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
  lines.push(`Cells in the table: ${s.cellsPublished}; suppressed (shown as <${report.minCellSize}): ${s.cellsSuppressed}`);
  lines.push(report.noise ? `Noise: discrete Laplace, epsilon ${report.noise.epsilon}, on every published count` : 'Noise: none (exact counts)');
  return lines.join('\n');
}

/** A standalone page a grant officer can attach to a report: the table, a chart and the summary. */
export function renderReportHtml(report: GrantReport): string {
  const first = report.measures[0] ?? 'participants';
  const byFirstDimension = report.rows.filter((r) => r.values[0] !== null && r.values.slice(1).every((v) => v === null));
  const bars = (byFirstDimension.length > 0 ? byFirstDimension : report.rows.filter((r) => !r.total)).map((r) => ({ label: r.values.map((v) => v ?? 'Total').join(' / '), value: r.counts[first] ?? 0 }));
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${report.grant.name}: participation report</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.5;color:#1a1a1a}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left}td.n{text-align:right}tr.total{font-weight:600;background:#f2f2f2}</style>
</head><body><main>
<h1>${report.grant.name}: participation report</h1>
<p>Grant ${report.grant.reference}${report.period ? html`, period ${report.period}` : ''}. Generated ${report.generatedAt.slice(0, 10)}. Counts from 1 to ${report.minCellSize - 1} are shown as &lt;${report.minCellSize}, and so are some other cells, so that no small group can be worked out.${report.noise ? html` Counts include random noise (discrete Laplace, epsilon ${report.noise.epsilon}).` : ''}</p>
<h2>${first} by ${report.dimensions[0] ?? ''}</h2>
${renderBarChart({ id: 'chart', title: `${first} by ${report.dimensions[0] ?? ''} (suppressed cells shown as 0)`, bars })}
<h2>Table</h2>
<table><thead><tr>${[...report.dimensions, ...report.measures].map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${report.rows.map((r) => html`<tr${r.total ? html` class="total"` : ''}>${r.values.map((v) => html`<td>${v ?? 'Total'}</td>`)}${report.measures.map((m) => html`<td class="n">${r.counts[m] === null ? `<${report.minCellSize}` : String(r.counts[m])}</td>`)}</tr>`)}</tbody></table>
<h2>How this report was minimized</h2>
<pre>${renderReportSummary(report)}</pre>
</main></body></html>`.value}`;
}
