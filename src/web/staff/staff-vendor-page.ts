import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { html, type SafeHtml } from '../../lib/html.ts';
import { renderBarChart } from '../../lib/svg-bar-chart.ts';
import type { TrafficHistory } from '../../metering/traffic-history.ts';
import { TRAFFIC_MEASURES, TRAFFIC_WINDOWS, type DailyFigure } from '../../metering/traffic-summary.ts';
import type { CompiledRule } from '../../policy/compiled-rule.ts';
import { describeRule } from '../describe-release.ts';
import { renderLayout } from '../layout.ts';
import type { Messages } from '../messages/messages.ts';
import type { StaffMessages } from '../messages/staff-messages.ts';
import { pickFigures, type OverviewRow } from './overview-model.ts';
import { createNumberFormat, renderBadges, renderFigure, renderStaffNav, STAFF_STYLE } from './staff-chrome.ts';
import { renderBasis } from './staff-overview-page.ts';

/** A rule as the contract writes it: `birthDate: generalize to ageBand, as age_band, consent share-x`. */
export function writeRule(rule: CompiledRule): string {
  const parts = [`${rule.field}: ${rule.action}`];
  if (rule.generalization) parts.push(`to: ${rule.generalization.name}`);
  if (rule.as !== rule.field) parts.push(`as: ${rule.as}`);
  if (rule.consent) parts.push(`consent: ${rule.consent}`);
  return parts.join(', ');
}

function renderDaily(sm: StaffMessages, id: string, title: string, column: string, figures: ReadonlyArray<DailyFigure>, format: (n: number) => string): SafeHtml {
  return html`<h3>${title}</h3>
<div class="chart-pair" data-chart="${id}">
<div class="half">${renderBarChart({ id, title, bars: figures.map((f) => ({ label: f.day, value: f.value })) })}</div>
<div class="half"><table><caption>${title}</caption><thead><tr><th scope="col">${sm.vendor.day}</th><th scope="col">${column}</th></tr></thead><tbody>${figures.map(
    (f) => html`<tr data-day="${f.day}"><td>${f.day}</td><td>${format(f.value)}</td></tr>`,
  )}</tbody></table></div>
</div>`;
}

/**
 * A vendor's page: its contract in brief, what it receives (in plain words and as the contract
 * says it), its notice version, and its traffic (windows, per-day charts with their tables, and how
 * requests ended since start).
 */
/** A host browse mode kept from a vendor's pages: its name (never a patron value), its kind, how often. */
export interface BlockedHostName {
  readonly host: string;
  readonly kind: string;
  readonly count: number;
}

export function renderStaffVendor(options: {
  m: Messages;
  sm: StaffMessages;
  csrf: string;
  contract: CompiledContract;
  row: OverviewRow;
  history: TrafficHistory;
  outcomesSinceStart: Readonly<Partial<Record<string, number>>>;
  /** Browse vendors: the hosts kept from the vendor's pages lately (this node), most recent first. */
  blockedHosts?: ReadonlyArray<BlockedHostName>;
}): string {
  const { m, sm, contract, row, history } = options;
  const format = createNumberFormat(sm.lang);
  const released = contract.identity.delivery === 'none' ? [] : contract.rules.filter((r) => r.action !== 'drop');
  const windows = history.basis === 'prometheus' ? TRAFFIC_WINDOWS.map((w) => [sm.windows[w], pickFigures(history, contract.id, w)] as const) : [[sm.basis.sinceStart, pickFigures(history, contract.id, '24h')] as const];
  const outcomes = Object.entries(options.outcomesSinceStart).filter(([, n]) => (n ?? 0) > 0);
  const main = html`<h1>${sm.vendor.title(contract.name)} <small class="secondary">${contract.id}</small></h1>
${renderStaffNav(sm, 'vendor')}
<p><a href="/staff">${sm.vendor.back}</a></p>
<section aria-labelledby="facts">
<h2 id="facts">${sm.vendor.facts}</h2>
<dl class="facts">
<dt>${sm.columns.status}</dt><dd>${renderBadges(sm, row.status, row.review)}</dd>
<dt>${sm.vendor.contractReference}</dt><dd>${contract.contract.reference}</dd>
<dt>${sm.columns.expires}</dt><dd>${sm.vendor.inForce(contract.contract.effective, contract.contract.expires)}</dd>
<dt>${sm.columns.reviewed}</dt><dd>${contract.contract.reviewed ?? sm.vendor.noReview}</dd>
<dt>${sm.columns.channel}</dt><dd>${sm.channels[row.channel]}</dd>
<dt>${sm.columns.delivery}</dt><dd>${sm.deliveries[contract.identity.delivery] ?? contract.identity.delivery} <small class="secondary">${contract.identity.delivery}</small></dd>
<dt>${sm.columns.score}</dt><dd data-score="${row.score.toFixed(2)}">${format(Number(row.score.toFixed(2)))} <small class="secondary">${sm.scoreHelp}</small></dd>
</dl>
</section>
<section aria-labelledby="receives">
<h2 id="receives">${sm.vendor.receivesHeading}</h2>
${contract.kind === 'grant'
  ? html`<p>${sm.vendor.grant}</p>`
  : released.length === 0
    ? html`<p data-receives="nothing">${sm.vendor.receivesNothing}</p>`
    : html`<table class="cards"><thead><tr><th scope="col">${sm.vendor.field}</th><th scope="col">${sm.vendor.plainWords}</th><th scope="col">${sm.vendor.contractSays}</th></tr></thead><tbody>${released.map(
        (r) => html`<tr data-field="${r.field}"><th scope="row" data-label="${sm.vendor.field}"><span>${m.fields[r.field] ?? r.field}</span></th><td data-label="${sm.vendor.plainWords}"><span>${describeRule(m, r)}${r.consent ? html` (${sm.vendor.onlyWithConsent}) <small class="secondary">${r.consent}</small>` : ''}</span></td><td data-label="${sm.vendor.contractSays}"><code>${writeRule(r)}</code></td></tr>`,
      )}</tbody></table>`}
${contract.kind === 'grant'
  ? ''
  : html`<h3>${sm.vendor.minorsHeading}</h3>
<ul><li>${sm.vendor.under13}: ${sm.vendor.minorPolicies[contract.minors.under13]} <small class="secondary">${contract.minors.under13}</small></li>${
      contract.minors.under18 ? html`<li>${sm.vendor.under18}: ${sm.vendor.minorPolicies[contract.minors.under18]} <small class="secondary">${contract.minors.under18}</small></li>` : ''
    }</ul>`}
</section>
<section aria-labelledby="notice">
<h2 id="notice">${sm.vendor.noticeHeading}</h2>
<p data-notice-version="${contract.noticeVersion}">${sm.vendor.noticeVersion(contract.noticeVersion)}</p>
<p>${sm.vendor.noticeHistory}</p>
<p><a href="/staff/diff?vendor=${contract.id}">${sm.vendor.compare}</a></p>
</section>
<section aria-labelledby="traffic">
<h2 id="traffic">${sm.vendor.trafficHeading}</h2>
${renderBasis(sm, history)}
<table class="cards"><caption>${sm.vendor.windowsCaption}</caption><thead><tr><th scope="col">${sm.vendor.measure}</th>${windows.map(([name]) => html`<th scope="col">${name}</th>`)}</tr></thead><tbody>${TRAFFIC_MEASURES.map(
    (measure) => html`<tr data-measure="${measure}"><th scope="row" data-label="${sm.vendor.measure}"><span>${sm.columns[measure]}</span></th>${windows.map(([name, figures]) => html`<td data-label="${name}"><span>${renderFigure(sm, format, figures[measure], measure)}</span></td>`)}</tr>`,
  )}</tbody></table>
${history.basis === 'prometheus'
  ? html`${renderDaily(sm, `requests-${contract.id}`, sm.vendor.requestsPerDay(contract.name), sm.vendor.count, history.daily.requests.get(contract.id) ?? [], format)}
${renderDaily(sm, `releases-${contract.id}`, sm.vendor.releasesPerDay(contract.name), sm.vendor.releases, history.daily.releases.get(contract.id) ?? [], format)}`
  : html`<p>${sm.vendor.perDayNeedsPrometheus} ${sm.vendor.releases}: <span data-releases-since-start="${history.releases.get(contract.id) ?? 0}">${format(history.releases.get(contract.id) ?? 0)}</span>.</p>`}
<h3>${sm.vendor.outcomesHeading}</h3>
${outcomes.length === 0
  ? html`<p>${sm.vendor.noTraffic}</p>`
  : html`<table class="cards"><thead><tr><th scope="col">${sm.vendor.outcome}</th><th scope="col">${sm.vendor.count}</th></tr></thead><tbody>${outcomes.map(
      ([code, n]) => html`<tr data-outcome="${code}"><th scope="row" data-label="${sm.vendor.outcome}"><span>${sm.outcomes[code] ?? code} <small class="secondary">${code}</small></span></th><td data-label="${sm.vendor.count}"><span data-count="${code}">${format(n ?? 0)}</span></td></tr>`,
    )}</tbody></table>`}
</section>
${contract.browse
  ? html`<section aria-labelledby="blocked">
<h2 id="blocked">${sm.vendor.blockedHeading}</h2>
<p>${sm.vendor.blockedExplain}</p>
${(options.blockedHosts ?? []).length === 0
  ? html`<p data-blocked="none">${sm.vendor.blockedNone}</p>`
  : html`<table class="cards"><thead><tr><th scope="col">${sm.vendor.blockedHost}</th><th scope="col">${sm.vendor.count}</th></tr></thead><tbody>${(options.blockedHosts ?? []).map(
      (b) => html`<tr data-blocked-host="${b.host}"><th scope="row" data-label="${sm.vendor.blockedHost}"><span>${b.host} <small class="secondary">${b.kind}</small></span></th><td data-label="${sm.vendor.count}"><span>${format(b.count)}</span></td></tr>`,
    )}</tbody></table>`}
</section>`
  : ''}`;
  return renderLayout({ m, title: sm.vendor.title(contract.name), path: `/staff/vendors/${contract.id}`, signedIn: true, csrf: options.csrf, main, extraStyle: STAFF_STYLE });
}
