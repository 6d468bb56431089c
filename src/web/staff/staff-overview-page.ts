import { html, type SafeHtml } from '../../lib/html.ts';
import type { TrafficHistory } from '../../metering/traffic-history.ts';
import { TRAFFIC_MEASURES, TRAFFIC_WINDOWS } from '../../metering/traffic-summary.ts';
import { renderLayout } from '../layout.ts';
import type { Messages } from '../messages/messages.ts';
import type { StaffMessages } from '../messages/staff-messages.ts';
import { CHANNEL_FILTERS, SORT_KEYS, STATUS_FILTERS, writeOverviewQuery, type Alert, type OverviewQuery, type OverviewRow, type SortKey } from './overview-model.ts';
import { createNumberFormat, renderBadges, renderFigure, renderStaffNav, STAFF_STYLE } from './staff-chrome.ts';

/** Columns whose first click sorts largest first. */
const DESCENDING_FIRST: ReadonlySet<SortKey> = new Set(['score', ...TRAFFIC_MEASURES]);

function renderAlert(sm: StaffMessages, alert: Alert, window: string): string {
  const vendors = alert.vendors.join(', ');
  const n = alert.vendors.length;
  switch (alert.kind) {
    case 'closed':
      return sm.alerts.closed(n, alert.days, vendors);
    case 'not-yet-open':
      return sm.alerts.notYetOpen(n, alert.days, vendors);
    case 'closing':
      return sm.alerts.closing(n, alert.days, vendors);
    case 'review-overdue':
      return sm.alerts.reviewOverdue(n, vendors);
    case 'review-missing':
      return sm.alerts.reviewMissing(n, vendors);
    case 'caught':
      return sm.alerts.caught(alert.count, window, vendors);
    case 'blocked-minors':
      return sm.alerts.blockedMinors(alert.count, window, vendors);
  }
}

/** What the figures are based on: Prometheus's windows, or counts since start (and why). */
export function renderBasis(sm: StaffMessages, history: TrafficHistory): SafeHtml {
  if (history.basis === 'prometheus') return html`<p class="note" data-basis="prometheus">${sm.basis.prometheus(history.at.toISOString().slice(0, 16).replace('T', ' '))}</p>`;
  const text = history.reason === 'not-configured' ? sm.basis.notConfigured : history.reason === 'unreachable' ? sm.basis.unreachable : sm.basis.noData;
  return html`<p class="note" data-basis="since-start" data-reason="${history.reason}"${history.reason === 'unreachable' ? html` role="status"` : ''}>${text}</p>`;
}

/** The staff console overview: alerts, then one table of every vendor and channel, sortable and filterable with links and a plain form (no scripts). */
export function renderStaffOverview(options: {
  m: Messages;
  sm: StaffMessages;
  csrf: string;
  history: TrafficHistory;
  query: OverviewQuery;
  rows: ReadonlyArray<OverviewRow>;
  total: number;
  alerts: ReadonlyArray<Alert>;
}): string {
  const { m, sm, query, history } = options;
  const format = createNumberFormat(sm.lang);
  const windowName = history.basis === 'prometheus' ? sm.windows[query.window] : sm.basis.sinceStart;
  const columns: ReadonlyArray<readonly [SortKey, string]> = [
    ['name', sm.columns.vendor],
    ['status', sm.columns.status],
    ['channel', sm.columns.channel],
    ['delivery', sm.columns.delivery],
    ['expires', sm.columns.expires],
    ['reviewed', sm.columns.reviewed],
    ['score', sm.columns.score],
    ...TRAFFIC_MEASURES.map((measure) => [measure, sm.columns[measure]] as const),
  ];
  const header = ([key, label]: readonly [SortKey, string]) => {
    const sorted = query.sort === key;
    const dir = sorted ? (query.dir === 'asc' ? 'desc' : 'asc') : DESCENDING_FIRST.has(key) ? 'desc' : 'asc';
    const href = `/staff${writeOverviewQuery({ ...query, sort: key, dir })}`;
    return html`<th scope="col"${sorted ? html` aria-sort="${query.dir === 'asc' ? 'ascending' : 'descending'}"` : ''}><a href="${href}" data-sort="${key}">${label}${
      sorted ? html` <span aria-hidden="true">${query.dir === 'asc' ? '▲' : '▼'}</span><span class="visually-hidden">, ${query.dir === 'asc' ? sm.sortedAscending : sm.sortedDescending}</span>` : ''
    }</a></th>`;
  };
  const select = <T extends string>(name: string, label: string, values: ReadonlyArray<T>, chosen: T, text: (value: T) => string) =>
    html`<div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${values.map((v) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${text(v)}</option>`)}</select></div>`;
  const main = html`<h1>${sm.title}</h1>
${renderStaffNav(sm, 'overview')}
<section aria-labelledby="alerts-heading">
<h2 id="alerts-heading">${sm.alerts.heading}</h2>
${options.alerts.length === 0 ? html`<p data-alerts="none">${sm.alerts.none}</p>` : html`<ul class="alerts">${options.alerts.map((a) => html`<li data-alert="${a.kind}">${renderAlert(sm, a, windowName)}</li>`)}</ul>`}
</section>
${renderBasis(sm, history)}
<form method="get" action="/staff" class="filters" aria-labelledby="filters-heading">
<h2 id="filters-heading" class="visually-hidden">${sm.filters.heading}</h2>
${select('status', sm.filters.status, STATUS_FILTERS, query.status, (v) => sm.filters.statusOptions[v])}
${select('channel', sm.filters.channel, CHANNEL_FILTERS, query.channel, (v) => sm.filters.channelOptions[v])}
${history.basis === 'prometheus' ? select('window', sm.filters.window, TRAFFIC_WINDOWS, query.window, (v) => sm.windows[v]) : ''}
${select('sort', sm.filters.sort, SORT_KEYS, query.sort, (v) => (v === 'name' ? sm.columns.vendor : sm.columns[v]))}
${select('dir', sm.filters.order, ['asc', 'desc'] as const, query.dir, (v) => sm.filters.orderOptions[v])}
<div><button type="submit">${sm.filters.apply}</button></div>
<div><a href="/staff">${sm.filters.reset}</a></div>
</form>
<p data-shown="${options.rows.length}">${sm.filters.shown(options.rows.length, options.total)}</p>
${options.rows.length === 0
  ? html`<p>${sm.filters.noneShown}</p>`
  : html`<table class="cards overview">
<caption>${sm.caption(windowName)}</caption>
<thead><tr>${columns.map(header)}</tr></thead>
<tbody>${options.rows.map(
      (row) => html`<tr data-vendor="${row.id}">
<th scope="row" data-label="${sm.columns.vendor}"><span><a href="/staff/vendors/${row.id}">${row.name}</a> <small class="secondary">${row.id}</small></span></th>
<td data-label="${sm.columns.status}"><span>${renderBadges(sm, row.status, row.review)}</span></td>
<td data-label="${sm.columns.channel}"><span>${sm.channels[row.channel]}</span></td>
<td data-label="${sm.columns.delivery}"><span>${sm.deliveries[row.delivery] ?? row.delivery} <small class="secondary">${row.delivery}</small></span></td>
<td data-label="${sm.columns.expires}"><span class="date">${row.expires}</span></td>
<td data-label="${sm.columns.reviewed}"><span class="date">${row.reviewed ?? sm.notAvailable}</span></td>
<td data-label="${sm.columns.score}"><span data-score="${row.score.toFixed(2)}">${format(Number(row.score.toFixed(2)))}</span></td>
${TRAFFIC_MEASURES.map((measure) => html`<td data-label="${sm.columns[measure]}"><span>${renderFigure(sm, format, row.figures[measure], measure)}</span></td>`)}
</tr>`,
    )}</tbody>
</table>`}
<p class="secondary">${sm.scoreHelp} ${sm.notAvailableHelp}</p>`;
  return renderLayout({ m, title: sm.title, path: `/staff${writeOverviewQuery(query)}`, signedIn: true, csrf: options.csrf, main, extraStyle: STAFF_STYLE });
}
