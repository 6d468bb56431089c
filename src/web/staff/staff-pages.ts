import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { ContractDiff } from '../../contracts/diff-contracts.ts';
import type { Messages } from '../messages/messages.ts';
import type { VendorCounts } from '../../metering/gateway-metrics.ts';
import { describeRule } from '../describe-release.ts';
import type { Explanation } from '../../minimize/explain.ts';
import { html, type SafeHtml } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import { renderBarChart } from '../../lib/svg-bar-chart.ts';
import { FIELD_OUTCOMES } from '../../minimize/minimize.ts';

const LOCATIONS = ['path', 'query', 'header', 'body'] as const;

function staffNav(): SafeHtml {
  return html`<p><a href="/staff">Overview</a> · <a href="/staff/explain">Explain</a> · <a href="/staff/diff">Contract diff</a> · <a href="/staff/reports">Grant reports</a></p>`;
}

function score(value: number | undefined): string {
  return value === undefined ? 'no traffic yet' : value.toFixed(2);
}

/** The staff console overview: per vendor, what it receives, contract dates and warnings, live counts, scores and charts. */
export function renderStaffConsole(options: { m: Messages; csrf: string; vendors: ReadonlyArray<{ contract: CompiledContract; warnings: ReadonlyArray<string>; counts: VendorCounts }> }): string {
  const { m } = options;
  return renderLayout({
    m,
    title: 'Staff console',
    path: '/staff',
    signedIn: true,
    csrf: options.csrf,
    main: html`<h1>Staff console</h1>
${staffNav()}
<p>Counts are since this gateway process started. The minimization score runs from 0 (every field passed as is) to 1 (nothing about the patron leaves); see the README.</p>
${options.vendors.map(({ contract, warnings, counts }) => {
  const releases = FIELD_OUTCOMES.map((o) => ({ label: o, value: counts.releases[o] ?? 0 }));
  const caught = LOCATIONS.map((l) => ({ label: l, value: counts.caught[l] ?? 0 }));
  const requests = Object.entries(counts.requests);
  return html`<section class="card" aria-labelledby="staff-${contract.id}" data-vendor="${contract.id}">
<h2 id="staff-${contract.id}">${contract.name} <small>(${contract.id}, ${contract.kind})</small></h2>
${warnings.length > 0 ? html`<ul class="error" aria-label="Warnings">${warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
<p>Contract ${contract.contract.reference}: ${contract.contract.effective} to ${contract.contract.expires}${contract.contract.reviewed ? html`, reviewed ${contract.contract.reviewed}` : ''}. Delivery: ${contract.identity.delivery}. Notice version ${contract.noticeVersion}.</p>
<h3>Receives</h3>
${contract.rules.filter((r) => r.action !== 'drop').length === 0 || contract.identity.delivery === 'none' ? html`<p>Nothing about patrons.</p>` : html`<ul>${contract.rules.filter((r) => r.action !== 'drop').map((r) => html`<li>${r.field} → ${r.as}: ${describeRule(m, r)}${r.consent ? html` (only with consent ${r.consent})` : ''}</li>`)}</ul>`}
<p>Minimization score: by contract <strong data-score="contract">${score(counts.scoreContract)}</strong>, by traffic <strong data-score="traffic">${score(counts.scoreTraffic)}</strong>.</p>
<h3>Requests since start</h3>
${requests.length === 0 ? html`<p>None yet.</p>` : html`<table><thead><tr><th scope="col">Outcome</th><th scope="col">Requests</th></tr></thead><tbody>${requests.map(([o, n]) => html`<tr><td>${o}</td><td data-count="${o}">${n}</td></tr>`)}</tbody></table>`}
<h3>Field releases by action</h3>
${renderBarChart({ id: `releases-${contract.id}`, title: `${contract.name}: field releases by action`, bars: releases })}
<table><thead><tr><th scope="col">Action</th><th scope="col">Fields</th></tr></thead><tbody>${releases.map((b) => html`<tr><td>${b.label}</td><td>${b.value}</td></tr>`)}</tbody></table>
<h3>Patron data caught in requests</h3>
${renderBarChart({ id: `caught-${contract.id}`, title: `${contract.name}: patron values caught by location`, bars: caught })}
<table><thead><tr><th scope="col">Location</th><th scope="col">Values caught</th></tr></thead><tbody>${caught.map((b) => html`<tr><td>${b.label}</td><td>${b.value}</td></tr>`)}</tbody></table>
</section>`;
})}`,
  });
}

/** The explain form and its result: the same dry run as `gateway explain`. */
export function renderStaffExplain(options: { m: Messages; csrf: string; vendors: ReadonlyArray<CompiledContract>; explanation?: Explanation; error?: string; vendor?: string; at?: string }): string {
  const { m, explanation } = options;
  return renderLayout({
    m,
    title: 'Explain',
    path: '/staff/explain',
    signedIn: true,
    csrf: options.csrf,
    main: html`<h1>What would a vendor receive?</h1>
${staffNav()}
<form method="post" action="/staff/explain">
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="vendor">Vendor</label>
<select id="vendor" name="vendor">${options.vendors.map((c) => html`<option value="${c.id}"${c.id === options.vendor ? html` selected` : ''}>${c.name}</option>`)}</select>
<label for="barcode">Patron card number</label>
<input type="text" id="barcode" name="barcode" autocomplete="off" required maxlength="64">
<label for="at">As of (YYYY-MM-DD, optional)</label>
<input type="text" id="at" name="at" value="${options.at ?? ''}" pattern="\\d{4}-\\d{2}-\\d{2}" maxlength="10">
<button type="submit">Explain</button>
</form>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
${explanation
  ? html`<h2>${explanation.vendorName}, as of ${explanation.at.slice(0, 10)}</h2>
<p>Access: <strong data-access="${explanation.access}">${explanation.access}</strong>; delivery ${explanation.delivery}; notice version ${explanation.noticeVersion}.</p>
<table><thead><tr><th scope="col">Field</th><th scope="col">What the vendor receives, and why</th></tr></thead><tbody>${explanation.fields.map((f) => html`<tr data-field="${f.field}"><td>${f.field}</td><td>${f.explanation}</td></tr>`)}</tbody></table>`
  : ''}`,
  });
}

/** The contract diff view: paste a proposed version of a vendor's contract, see what changes for patrons. */
export function renderStaffDiff(options: { m: Messages; csrf: string; vendors: ReadonlyArray<CompiledContract>; vendor?: string; proposed?: string; diff?: ContractDiff; problems?: ReadonlyArray<string> }): string {
  const { m, diff } = options;
  return renderLayout({
    m,
    title: 'Contract diff',
    path: '/staff/diff',
    signedIn: true,
    csrf: options.csrf,
    main: html`<h1>What would a contract change mean for patrons?</h1>
${staffNav()}
<form method="post" action="/staff/diff">
<input type="hidden" name="csrf" value="${options.csrf}">
<label for="vendor">Current contract</label>
<select id="vendor" name="vendor">${options.vendors.map((c) => html`<option value="${c.id}"${c.id === options.vendor ? html` selected` : ''}>${c.name}</option>`)}</select>
<label for="proposed">Proposed contract (YAML)</label>
<textarea id="proposed" name="proposed" rows="16" cols="70" required>${options.proposed ?? ''}</textarea>
<button type="submit">Compare</button>
</form>
${options.problems && options.problems.length > 0 ? html`<div class="error" role="alert"><p>The proposed contract is not valid:</p><ul>${options.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
${diff
  ? html`<h2>Sharing becomes <span data-overall="${diff.overall}">${diff.overall}</span></h2>
<p>${diff.noticeVersionChanged ? 'Patrons will be asked to accept the notice again.' : 'The notice version is unchanged.'}</p>
${diff.changes.length === 0 ? html`<p>No change for patrons.</p>` : html`<table><thead><tr><th scope="col">What</th><th scope="col">Now</th><th scope="col">Proposed</th><th scope="col">Direction</th><th scope="col">Meaning</th></tr></thead><tbody>${diff.changes.map((c) => html`<tr data-path="${c.path}"><td>${c.path}</td><td>${c.before}</td><td>${c.after}</td><td>${c.direction}</td><td>${c.meaning}</td></tr>`)}</tbody></table>`}`
  : ''}`,
  });
}
