import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { Messages } from '../../../web/messages/messages.ts';
import type { GrantReport } from '../produce-report.ts';
import { renderReportSummary, renderReportTableHtml } from '../render-report.ts';
import { html } from '../../../lib/html.ts';
import { renderLayout } from '../../../web/layout.ts';

const nav = html`<p><a href="/staff">Overview</a> · <a href="/staff/explain">Explain</a> · <a href="/staff/diff">Contract diff</a> · <a href="/staff/reports">Grant reports</a></p>`;

/** The upload form. Fields come before the file so the server knows them when the file arrives. */
export function renderStaffReportForm(options: { m: Messages; csrf: string; grants: ReadonlyArray<CompiledContract>; error?: string }): string {
  return renderLayout({
    m: options.m,
    title: 'Grant reports',
    path: '/staff/reports',
    signedIn: true,
    csrf: options.csrf,
    main: html`<h1>Grant reports</h1>
${nav}
<p>Upload a participation file (CSV, one row per attendance). It is read once to build the report and not kept.</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="/staff/reports" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="grant">Grant programme</label>
<select id="grant" name="grant">${options.grants.map((g) => html`<option value="${g.id}">${g.name}</option>`)}</select>
<label for="period">Period (optional: 2026, 2026-Q3 or 2026-07)</label>
<input type="text" id="period" name="period" maxlength="7">
<label for="format">Result</label>
<select id="format" name="format"><option value="preview">Preview here</option><option value="csv">Download CSV</option><option value="json">Download JSON</option><option value="html">Download HTML page</option></select>
<label for="file">Participation file</label>
<input type="file" id="file" name="file" accept=".csv,text/csv" required>
<button type="submit">Build the report</button>
</form>`,
  });
}

/** The report, previewed in the console. */
export function renderStaffReportPreview(options: { m: Messages; csrf: string; report: GrantReport; downloadId: string }): string {
  const { report } = options;
  return renderLayout({
    m: options.m,
    title: `${report.grant.name}: report preview`,
    path: '/staff/reports',
    signedIn: true,
    csrf: options.csrf,
    main: html`<h1>${report.grant.name}: report preview</h1>
${nav}
<p>Download this table (the links work for 15 minutes; no second upload):
<a href="/staff/reports/download/${options.downloadId}.csv" download>CSV</a> ·
<a href="/staff/reports/download/${options.downloadId}.json" download>JSON</a> ·
<a href="/staff/reports/download/${options.downloadId}.html" download>HTML page</a></p>
${renderReportTableHtml(report)}
<h2>How this report was minimized</h2>
<pre>${renderReportSummary(report)}</pre>`,
  });
}
