import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { ContractDiff } from '../../contracts/diff-contracts.ts';
import type { Messages } from '../messages/messages.ts';
import type { StaffMessages } from '../messages/staff-messages.ts';
import type { Explanation } from '../../minimize/explain.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import { renderStaffNav, STAFF_STYLE } from './staff-chrome.ts';

/** The explain form and its result: the same dry run as `gateway explain`. */
export function renderStaffExplain(options: { m: Messages; sm: StaffMessages; csrf: string; vendors: ReadonlyArray<CompiledContract>; explanation?: Explanation; error?: 'vendor' | 'date' | 'patron'; vendor?: string; at?: string }): string {
  const { m, sm, explanation } = options;
  const t = sm.explain;
  return renderLayout({
    m,
    title: t.title,
    path: '/staff/explain',
    signedIn: true,
    csrf: options.csrf,
    extraStyle: STAFF_STYLE,
    main: html`<h1>${t.heading}</h1>
${renderStaffNav(sm, 'explain')}
<form method="post" action="/staff/explain">
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="vendor">${t.vendorLabel}</label>
<select id="vendor" name="vendor">${options.vendors.map((c) => html`<option value="${c.id}"${c.id === options.vendor ? html` selected` : ''}>${c.name}</option>`)}</select>
<label for="barcode">${t.barcode}</label>
<input type="text" id="barcode" name="barcode" autocomplete="off" required maxlength="64">
<label for="at">${t.at}</label>
<input type="text" id="at" name="at" value="${options.at ?? ''}" pattern="\\d{4}-\\d{2}-\\d{2}" maxlength="10">
<button type="submit">${t.submit}</button>
</form>
${options.error ? html`<p class="error" role="alert">${t.errors[options.error]}</p>` : ''}
${explanation
  ? html`<h2>${t.resultHeading(explanation.vendorName, explanation.at.slice(0, 10))}</h2>
<dl class="facts"><dt>${t.access}</dt><dd data-access="${explanation.access}">${t.accessValues[explanation.access] ?? explanation.access}</dd>
<dt>${t.delivery}</dt><dd>${sm.deliveries[explanation.delivery] ?? explanation.delivery} <small class="secondary">${explanation.delivery}</small></dd>
<dt>${t.noticeVersion}</dt><dd>${explanation.noticeVersion}</dd></dl>
<table class="cards"><thead><tr><th scope="col">${t.field}</th><th scope="col">${t.why}</th></tr></thead><tbody>${explanation.fields.map(
      (f) => html`<tr data-field="${f.field}"><td data-label="${t.field}">${m.fields[f.field] ?? f.field} <small class="secondary">${f.field}</small></td><td data-label="${t.why}">${f.explanation}</td></tr>`,
    )}</tbody></table>`
  : ''}`,
  });
}

/** The contract diff view: paste a proposed version of a vendor's contract, see what changes for patrons. */
export function renderStaffDiff(options: { m: Messages; sm: StaffMessages; csrf: string; vendors: ReadonlyArray<CompiledContract>; vendor?: string; proposed?: string; diff?: ContractDiff; problems?: ReadonlyArray<string> }): string {
  const { m, sm, diff } = options;
  const t = sm.diff;
  return renderLayout({
    m,
    title: t.title,
    path: '/staff/diff',
    signedIn: true,
    csrf: options.csrf,
    extraStyle: STAFF_STYLE,
    main: html`<h1>${t.heading}</h1>
${renderStaffNav(sm, 'diff')}
<form method="post" action="/staff/diff">
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="vendor">${t.current}</label>
<select id="vendor" name="vendor">${options.vendors.map((c) => html`<option value="${c.id}"${c.id === options.vendor ? html` selected` : ''}>${c.name}</option>`)}</select>
<label for="proposed">${t.proposed}</label>
<textarea id="proposed" name="proposed" rows="16" cols="70" required>${options.proposed ?? ''}</textarea>
<button type="submit">${t.submit}</button>
</form>
${options.problems && options.problems.length > 0 ? html`<div class="error" role="alert"><p>${t.invalid}</p><ul>${options.problems.map((p) => html`<li><code>${p}</code></li>`)}</ul></div>` : ''}
${diff
  ? html`<h2>${t.overall} <span data-overall="${diff.overall}">${t.overallValues[diff.overall] ?? diff.overall}</span></h2>
<p>${diff.noticeVersionChanged ? t.askAgain : t.sameNotice}</p>
${diff.changes.length === 0
  ? html`<p>${t.noChange}</p>`
  : html`<table class="cards"><thead><tr><th scope="col">${t.what}</th><th scope="col">${t.now}</th><th scope="col">${t.after}</th><th scope="col">${t.direction}</th><th scope="col">${t.meaning}</th></tr></thead><tbody>${diff.changes.map(
      (c) => html`<tr data-path="${c.path}"><td data-label="${t.what}"><code>${c.path}</code></td><td data-label="${t.now}"><code>${c.before}</code></td><td data-label="${t.after}"><code>${c.after}</code></td><td data-label="${t.direction}">${t.overallValues[c.direction] ?? c.direction}</td><td data-label="${t.meaning}">${c.meaning}</td></tr>`,
    )}</tbody></table>`}`
  : ''}`,
  });
}
