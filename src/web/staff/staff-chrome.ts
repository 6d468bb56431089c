import { html, type SafeHtml } from '../../lib/html.ts';
import type { StaffMessages } from '../messages/staff-messages.ts';
import type { Figure, ReviewState, StatusBadge } from './overview-model.ts';

/** The console's navigation, the current page marked. */
export function renderStaffNav(sm: StaffMessages, current: 'overview' | 'explain' | 'diff' | 'reports' | 'vendor'): SafeHtml {
  const links = [
    ['overview', '/staff', sm.nav.overview],
    ['explain', '/staff/explain', sm.nav.explain],
    ['diff', '/staff/diff', sm.nav.diff],
    ['reports', '/staff/reports', sm.nav.reports],
  ] as const;
  return html`<nav class="staff-nav" aria-label="${sm.nav.label}"><ul>${links.map(([key, href, label]) => html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>`;
}

/** A contract's status badge (and its review's, when not current). */
export function renderBadges(sm: StaffMessages, status: StatusBadge, review: ReviewState): SafeHtml {
  const main =
    status.state === 'open'
      ? html`<span class="badge badge-open" data-status="open">${sm.badges.open}</span>`
      : status.state === 'closing'
        ? html`<span class="badge badge-warn" data-status="closing">${sm.badges.closing(status.days)}</span>`
        : status.state === 'closed'
          ? html`<span class="badge badge-bad" data-status="closed">${sm.badges.closed(status.days)}</span>`
          : html`<span class="badge badge-warn" data-status="not-yet-open">${sm.badges.notYetOpen(status.days)}</span>`;
  const reviewBadge =
    review.state === 'overdue'
      ? html` <span class="badge badge-warn" data-review="overdue">${sm.badges.reviewOverdue}</span>`
      : review.state === 'missing'
        ? html` <span class="badge badge-warn" data-review="missing">${sm.badges.reviewMissing}</span>`
        : '';
  return html`${main}${reviewBadge}`;
}

const ARROWS = { up: '↑', down: '↓', flat: '→', new: '↑', gone: '↓' } as const;

/** A figure: its number (or the not-available dash) and, with Prometheus, its trend in words. */
export function renderFigure(sm: StaffMessages, format: (n: number) => string, figure: Figure, measure: string): SafeHtml {
  if (figure.value === undefined) return html`<span data-figure="${measure}" data-value="">${sm.notAvailable}</span>`;
  return html`<span class="figure" data-figure="${measure}" data-value="${figure.value}">${format(figure.value)}</span>${
    figure.trend && !(figure.trend === 'flat' && figure.value === 0) ? html` <span class="trend" data-trend="${figure.trend}"><span aria-hidden="true">${ARROWS[figure.trend]}</span> ${sm.trends[figure.trend]}</span>` : ''
  }`;
}

/**
 * The console's own CSS: a wider page for the overview table, badges with AA contrast, and, on
 * narrow screens, each table row as a card (a cell's column name from its data-label) so that
 * nothing scrolls sideways at 320 px. No quotes or angle brackets (the layout escapes them).
 */
export const STAFF_STYLE = `
body{max-width:84rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.staff-nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;list-style:none;padding:0;margin:.5rem 0 1rem}
.staff-nav a[aria-current]{font-weight:700;text-decoration:none;border-bottom:3px solid #0b4fa8}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:1rem;font-size:.85rem;border:1px solid;margin:.1rem 0}
.badge-open{color:#0f5223;background:#e6f4ea;border-color:#0f5223}
.badge-warn{color:#6b3d00;background:#fff4e0;border-color:#6b3d00}
.badge-bad{color:#8a0016;background:#fdecee;border-color:#8a0016}
.alerts li{margin:.3rem 0}
.note{border-left:4px solid #0b4fa8;padding:.4rem .8rem;background:#eef3fb}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;border:1px solid #767676;border-radius:6px;padding:.5rem 1rem 1rem;margin:1rem 0}
.filters legend{font-weight:600;padding:0 .3rem}
.filters label{margin-top:0}
.filters select{width:auto;min-width:10rem;max-width:100%}
.filters button{margin:0}
.trend{font-size:.85rem;color:#333}
small,.secondary{color:#4a4a4a;font-size:.85rem}
td,th{overflow-wrap:break-word}
table.overview{font-size:.92rem}
table.overview thead th{overflow-wrap:anywhere}
caption{text-align:left;font-weight:600;padding:.3rem 0}
.date{white-space:nowrap}
th a{white-space:normal}
.chart-pair{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}
.chart-pair .half{flex:1 1 18rem;min-width:0}
pre,code{white-space:pre-wrap;overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.3rem 1rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
@media (max-width:48rem){
td,th{overflow-wrap:anywhere}
table.cards thead{display:none}
table.cards caption{display:block}
table.cards,table.cards tbody,table.cards tr,table.cards th,table.cards td{display:block;width:auto}
table.cards td,table.cards th{overflow-wrap:anywhere}
table.cards .date{white-space:normal}
table.cards tr{border:1px solid #767676;border-radius:6px;margin:.75rem 0;padding:.25rem .5rem}
table.cards td,table.cards tbody th{display:grid;grid-template-columns:minmax(6rem,40%) 1fr;gap:.5rem;border-bottom:1px solid #ddd}
table.cards td::before,table.cards tbody th::before{content:attr(data-label);font-weight:600}
dl.facts{grid-template-columns:1fr}
}
`;

/** Numbers in the page's language. */
export function createNumberFormat(lang: string): (n: number) => string {
  const format = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  return (n) => format.format(n);
}
