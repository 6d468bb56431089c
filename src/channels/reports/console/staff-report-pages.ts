import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { Messages } from '../../../web/messages/messages.ts';
import type { GrantReport, ReportProgress } from '../produce-report.ts';
import { renderReportSummary, renderReportTableHtml } from '../render-report.ts';
import { html, SafeHtml } from '../../../lib/html.ts';
import { renderLayout } from '../../../web/layout.ts';
import { chooseStaffMessages } from '../../../web/messages/staff-catalogues.ts';
import { renderStaffNav, STAFF_STYLE } from '../../../web/staff/staff-chrome.ts';

/** The console's navigation, in the page's language. */
const navFor = (m: Messages) => renderStaffNav(chooseStaffMessages(m), 'reports');

/** The upload form. Fields come before the file so the server knows them when the file arrives. */
export function renderStaffReportForm(options: { m: Messages; csrf: string; grants: ReadonlyArray<CompiledContract>; error?: string }): string {
  return renderLayout({
    m: options.m,
    title: 'Grant reports',
    path: '/staff/reports',
    signedIn: true,
    extraStyle: STAFF_STYLE,
    csrf: options.csrf,
    main: html`<h1>Grant reports</h1>
${navFor(options.m)}
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

/** The preview's content under its heading: download links, the table, the summary. */
function renderPreviewBody(report: GrantReport, downloadId: string): SafeHtml {
  return html`<p>Download this table (the links work for 15 minutes; no second upload):
<a href="/staff/reports/download/${downloadId}.csv" download>CSV</a> ·
<a href="/staff/reports/download/${downloadId}.json" download>JSON</a> ·
<a href="/staff/reports/download/${downloadId}.html" download>HTML page</a></p>
${renderReportTableHtml(report)}
<h2>How this report was minimized</h2>
<pre>${renderReportSummary(report)}</pre>`;
}

/** The report, previewed in the console. */
export function renderStaffReportPreview(options: { m: Messages; csrf: string; report: GrantReport; downloadId: string }): string {
  const { report } = options;
  return renderLayout({
    m: options.m,
    title: `${report.grant.name}: report preview`,
    path: '/staff/reports',
    signedIn: true,
    extraStyle: STAFF_STYLE,
    csrf: options.csrf,
    main: html`<h1>${report.grant.name}: report preview</h1>
${navFor(options.m)}
${renderPreviewBody(report, options.downloadId)}`,
  });
}

/** Where the streamed page's progress and result go (a comment no template produces). */
const STREAM_SLOT = '<!--report-progress-and-result-->';

/**
 * The page a console report streams while it runs (no script: the gateway's pages allow none):
 * `head` is sent at once, then a progress line for each step (renderReportProgressLine; the layout's
 * style shows only the latest), then renderReportStreamEnd, then `tail`.
 */
export function renderStaffReportStream(options: { m: Messages; csrf: string; grantName: string }): { head: string; tail: string } {
  const page = renderLayout({
    m: options.m,
    title: `${options.grantName}: report preview`,
    path: '/staff/reports',
    signedIn: true,
    extraStyle: STAFF_STYLE,
    csrf: options.csrf,
    main: html`<h1>${options.grantName}: report preview</h1>
${navFor(options.m)}
<ol class="report-progress" aria-live="polite" aria-label="Progress">${new SafeHtml(STREAM_SLOT)}`,
  });
  const at = page.indexOf(STREAM_SLOT);
  return { head: page.slice(0, at), tail: page.slice(at + STREAM_SLOT.length) };
}

const count = (n: number): string => n.toLocaleString('en-US');

/** One progress line: counts and the phase, never anything from a row. */
export function renderReportProgressLine(progress: ReportProgress): string {
  const rows = progress.rowsRead;
  switch (progress.phase) {
    case 'reading':
      return html`<li data-phase="reading">Reading the file: ${count(rows)} rows so far</li>
`.value;
    case 'protecting':
      return html`<li data-phase="protecting">File read (${count(rows)} rows). Protecting the table: choosing which figures to hide</li>
`.value;
    case 'auditing':
      return html`<li data-phase="auditing">Auditing the protection with the solver (${count(rows)} rows read)</li>
`.value;
  }
}

/** Closes the progress list and shows the result: the preview, or what went wrong (nothing was published). */
export function renderReportStreamEnd(result: { readonly report: GrantReport; readonly downloadId: string } | { readonly error: string }): string {
  if ('error' in result) {
    return html`<li data-phase="failed">Stopped</li>
</ol>
<p class="error" role="alert">${result.error}</p>
<p><a href="/staff/reports">Upload a file again</a></p>`.value;
  }
  return html`<li data-phase="done">Done: ${count(result.report.summary.rowsRead)} rows read</li>
</ol>
${renderPreviewBody(result.report, result.downloadId)}`.value;
}
