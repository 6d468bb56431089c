import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { Messages } from '../../../web/messages/messages.ts';
import type { GrantReport, ReportProgress } from '../produce-report.ts';
import { renderReportSummary, renderReportTableHtml } from '../render-report.ts';
import { html, SafeHtml } from '../../../lib/html.ts';
import { renderLayout } from '../../../web/layout.ts';
import { chooseStaffMessages } from '../../../web/messages/staff-catalogues.ts';
import { renderStaffNav, STAFF_STYLE } from '../../../web/staff/staff-chrome.ts';
import type { StaffMessages } from '../../../web/messages/staff-messages.ts';
import { staffEn } from '../../../web/messages/staff-en.ts';

/** The console's navigation, in the page's language. */
const navFor = (m: Messages) => renderStaffNav(chooseStaffMessages(m), 'reports');

/** The upload form. Fields come before the file so the server knows them when the file arrives. */
export function renderStaffReportForm(options: { m: Messages; csrf: string; grants: ReadonlyArray<CompiledContract>; error?: string }): string {
  const t = chooseStaffMessages(options.m).reports;
  return renderLayout({
    m: options.m,
    title: t.title,
    path: '/staff/reports',
    signedIn: true,
    extraStyle: STAFF_STYLE,
    csrf: options.csrf,
    main: html`<h1>${t.title}</h1>
${navFor(options.m)}
<p>${t.intro}</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="/staff/reports" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="grant">${t.grant}</label>
<select id="grant" name="grant">${options.grants.map((g) => html`<option value="${g.id}">${g.name}</option>`)}</select>
<label for="period">${t.period}</label>
<input type="text" id="period" name="period" maxlength="7">
<label for="format">${t.format}</label>
<select id="format" name="format">${(['preview', 'csv', 'json', 'html'] as const).map((f) => html`<option value="${f}">${t.formats[f]}</option>`)}</select>
<label for="file">${t.file}</label>
<input type="file" id="file" name="file" accept=".csv,text/csv" required>
<button type="submit">${t.submit}</button>
</form>`,
  });
}

/** The preview's content under its heading: download links, the table, the summary. */
function renderPreviewBody(report: GrantReport, downloadId: string, sm: StaffMessages): SafeHtml {
  const t = sm.reports;
  return html`<p>${t.download}
<a href="/staff/reports/download/${downloadId}.csv" download>CSV</a> ·
<a href="/staff/reports/download/${downloadId}.json" download>JSON</a> ·
<a href="/staff/reports/download/${downloadId}.html" download>${t.htmlPage}</a></p>
${renderReportTableHtml(report)}
<h2>${t.minimized}</h2>
<pre>${renderReportSummary(report)}</pre>`;
}

/** The report, previewed in the console. */
export function renderStaffReportPreview(options: { m: Messages; csrf: string; report: GrantReport; downloadId: string }): string {
  const { report } = options;
  const sm = chooseStaffMessages(options.m);
  return renderLayout({
    m: options.m,
    title: sm.reports.previewTitle(report.grant.name),
    path: '/staff/reports',
    signedIn: true,
    extraStyle: STAFF_STYLE,
    csrf: options.csrf,
    main: html`<h1>${sm.reports.previewTitle(report.grant.name)}</h1>
${navFor(options.m)}
${renderPreviewBody(report, options.downloadId, sm)}`,
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
  const t = chooseStaffMessages(options.m).reports;
  const page = renderLayout({
    m: options.m,
    title: t.previewTitle(options.grantName),
    path: '/staff/reports',
    signedIn: true,
    extraStyle: STAFF_STYLE,
    csrf: options.csrf,
    main: html`<h1>${t.previewTitle(options.grantName)}</h1>
${navFor(options.m)}
<ol class="report-progress" aria-live="polite" aria-label="${t.progress}">${new SafeHtml(STREAM_SLOT)}`,
  });
  const at = page.indexOf(STREAM_SLOT);
  return { head: page.slice(0, at), tail: page.slice(at + STREAM_SLOT.length) };
}

const count = (n: number, sm: StaffMessages): string => n.toLocaleString(sm.lang === 'en' ? 'en-US' : sm.lang);

/** One progress line: counts and the phase, never anything from a row. */
export function renderReportProgressLine(progress: ReportProgress, sm: StaffMessages = staffEn): string {
  const rows = count(progress.rowsRead, sm);
  const t = sm.reports;
  switch (progress.phase) {
    case 'reading':
      return html`<li data-phase="reading">${t.reading(rows)}</li>
`.value;
    case 'protecting':
      return html`<li data-phase="protecting">${t.protecting(rows)}</li>
`.value;
    case 'auditing':
      return html`<li data-phase="auditing">${t.auditing(rows)}</li>
`.value;
  }
}

/** Closes the progress list and shows the result: the preview, or what went wrong (nothing was published). */
export function renderReportStreamEnd(result: { readonly report: GrantReport; readonly downloadId: string } | { readonly error: string }, sm: StaffMessages = staffEn): string {
  const t = sm.reports;
  if ('error' in result) {
    return html`<li data-phase="failed">${t.stopped}</li>
</ol>
<p class="error" role="alert">${result.error}</p>
<p><a href="/staff/reports">${t.again}</a></p>`.value;
  }
  return html`<li data-phase="done">${t.done(count(result.report.summary.rowsRead, sm))}</li>
</ol>
${renderPreviewBody(result.report, result.downloadId, sm)}`.value;
}
