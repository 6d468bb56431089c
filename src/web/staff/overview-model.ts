import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { describeContractStatus } from '../../contracts/contract-status.ts';
import { describeTrend, TRAFFIC_MEASURES, TRAFFIC_WINDOWS, type Trend, type TrafficMeasure, type TrafficWindow, type VendorTraffic } from '../../metering/traffic-summary.ts';
import type { TrafficHistory } from '../../metering/traffic-history.ts';

/** Reviews older than this are overdue. */
export const REVIEW_DUE_DAYS = 365;

const DAY_MS = 86_400_000;

/** The badge of a contract: open, closes in N days, closed (expired), not open yet. */
export type StatusBadge = { readonly state: 'open' } | { readonly state: 'closing'; readonly days: number } | { readonly state: 'closed'; readonly days: number } | { readonly state: 'not-yet-open'; readonly days: number };

/** Whether the privacy review is current, overdue (days since it), or missing. */
export type ReviewState = { readonly state: 'current' } | { readonly state: 'overdue'; readonly days: number } | { readonly state: 'missing' };

/** Where a vendor's traffic goes: the proxy (/v/), the SIP2 mediator, grant reports, or another delivery named by its contract. */
export type ChannelName = 'proxy' | 'browse' | 'federation' | 'sip2' | 'reports';

/** One figure of the chosen window: its value and, with Prometheus, how it compares with the window before. */
export interface Figure {
  readonly value: number | undefined;
  readonly trend?: Trend;
}

export interface OverviewRow {
  readonly id: string;
  readonly name: string;
  readonly channel: ChannelName;
  readonly delivery: string;
  readonly status: StatusBadge;
  readonly review: ReviewState;
  readonly effective: string;
  readonly expires: string;
  readonly reviewed: string | undefined;
  readonly score: number;
  readonly figures: Readonly<Record<TrafficMeasure, Figure>>;
}

export const SORT_KEYS = ['name', 'status', 'channel', 'delivery', 'expires', 'reviewed', 'score', ...TRAFFIC_MEASURES] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const STATUS_FILTERS = ['all', 'attention', 'open', 'closed'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const CHANNEL_FILTERS = ['all', 'proxy', 'browse', 'federation', 'sip2', 'reports'] as const;
export type ChannelFilter = (typeof CHANNEL_FILTERS)[number];

/** What the overview's query string asks for; anything not understood falls back to the default. */
export interface OverviewQuery {
  readonly sort: SortKey;
  readonly dir: 'asc' | 'desc';
  readonly window: TrafficWindow;
  readonly status: StatusFilter;
  readonly channel: ChannelFilter;
}

export const DEFAULT_QUERY: OverviewQuery = { sort: 'status', dir: 'asc', window: '24h', status: 'all', channel: 'all' };

function pick<T extends string>(value: unknown, allowed: ReadonlyArray<T>, fallback: T): T {
  return (allowed as ReadonlyArray<unknown>).includes(value) ? (value as T) : fallback;
}

/** Reads the overview's query string (sort, dir, window, status, channel). */
export function readOverviewQuery(query: Readonly<Record<string, unknown>>): OverviewQuery {
  return {
    sort: pick(query['sort'], SORT_KEYS, DEFAULT_QUERY.sort),
    dir: pick(query['dir'], ['asc', 'desc'] as const, DEFAULT_QUERY.dir),
    window: pick(query['window'], TRAFFIC_WINDOWS, DEFAULT_QUERY.window),
    status: pick(query['status'], STATUS_FILTERS, DEFAULT_QUERY.status),
    channel: pick(query['channel'], CHANNEL_FILTERS, DEFAULT_QUERY.channel),
  };
}

/** The query string of an overview link: only what differs from the defaults, in a fixed order. */
export function writeOverviewQuery(query: OverviewQuery): string {
  const params = new URLSearchParams();
  for (const key of ['sort', 'dir', 'window', 'status', 'channel'] as const) if (query[key] !== DEFAULT_QUERY[key]) params.set(key, query[key]);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The channel a contract's vendor is reached on. */
export function findChannelName(contract: Pick<CompiledContract, 'kind' | 'identity' | 'browse'>): ChannelName {
  if (contract.kind === 'grant') return 'reports';
  const delivery = contract.identity.delivery;
  if (delivery === 'sip2') return 'sip2';
  if (delivery === 'oidc' || delivery === 'saml') return 'federation';
  return contract.browse ? 'browse' : 'proxy';
}

/** The contract's badge at `now`. */
export function findStatusBadge(contract: CompiledContract, now: Date): StatusBadge {
  const status = describeContractStatus(contract, now);
  if (status.state === 'active') return { state: 'open' };
  if (status.state === 'expiring-soon') return { state: 'closing', days: status.days };
  if (status.state === 'expired') return { state: 'closed', days: status.days };
  return { state: 'not-yet-open', days: status.days };
}

/** The privacy review at `now`: overdue once older than REVIEW_DUE_DAYS. */
export function findReviewState(reviewed: string | undefined, now: Date): ReviewState {
  if (reviewed === undefined) return { state: 'missing' };
  const days = Math.floor((now.getTime() - Date.parse(`${reviewed}T00:00:00Z`)) / DAY_MS);
  return days > REVIEW_DUE_DAYS ? { state: 'overdue', days } : { state: 'current' };
}

/** True when a row asks for staff's attention: not open, closing, or its review overdue or missing. */
export function needsAttention(row: Pick<OverviewRow, 'status' | 'review'>): boolean {
  return row.status.state !== 'open' || row.review.state !== 'current';
}

/** The figures of one vendor in the chosen window (since start without Prometheus, with no trend). */
export function pickFigures(history: TrafficHistory, vendor: string, window: TrafficWindow): Record<TrafficMeasure, Figure> {
  const out = {} as Record<TrafficMeasure, Figure>;
  if (history.basis === 'since-start') {
    const figures = history.sinceStart.get(vendor);
    for (const measure of TRAFFIC_MEASURES) out[measure] = { value: figures?.[measure] ?? (measure === 'blockedTrackers' ? undefined : 0) };
    return out;
  }
  const current: VendorTraffic | undefined = history.windows[window].current.get(vendor);
  const previous: VendorTraffic | undefined = history.windows[window].previous.get(vendor);
  for (const measure of TRAFFIC_MEASURES) {
    const value = current?.[measure] ?? (measure === 'blockedTrackers' ? undefined : 0);
    out[measure] = value === undefined ? { value } : { value, trend: describeTrend(value, previous?.[measure] ?? 0) };
  }
  return out;
}

/** One row per vendor. */
export function buildOverviewRows(contracts: ReadonlyArray<CompiledContract>, history: TrafficHistory, window: TrafficWindow, now: Date, score: (contract: CompiledContract) => number): OverviewRow[] {
  return contracts.map((contract) => ({
    id: contract.id,
    name: contract.name,
    channel: findChannelName(contract),
    delivery: contract.identity.delivery,
    status: findStatusBadge(contract, now),
    review: findReviewState(contract.contract.reviewed, now),
    effective: contract.contract.effective,
    expires: contract.contract.expires,
    reviewed: contract.contract.reviewed,
    score: score(contract),
    figures: pickFigures(history, contract.id, window),
  }));
}

/** Closed first, then not yet open, closing soonest, review due, open. */
function statusRank(row: Pick<OverviewRow, 'status' | 'review'>): number {
  const s = row.status;
  if (s.state === 'closed') return 0;
  if (s.state === 'not-yet-open') return 1;
  if (s.state === 'closing') return 2 + s.days / 1000;
  return row.review.state === 'current' ? 4 : 3;
}

function sortValue(row: OverviewRow, key: SortKey): string | number {
  switch (key) {
    case 'name':
      return row.name.toLowerCase();
    case 'status':
      return statusRank(row);
    case 'channel':
      return row.channel;
    case 'delivery':
      return row.delivery;
    case 'expires':
      return row.expires;
    case 'reviewed':
      return row.reviewed ?? '';
    case 'score':
      return row.score;
    default:
      return row.figures[key].value ?? -1;
  }
}

function compareValues(x: string | number, y: string | number): number {
  if (x < y) return -1;
  return x > y ? 1 : 0;
}

/** The rows the filters keep, sorted (ties by name, so the order never depends on the contracts' order). */
export function selectRows(rows: ReadonlyArray<OverviewRow>, query: OverviewQuery): OverviewRow[] {
  const kept = rows.filter((row) => {
    if (query.channel !== 'all' && row.channel !== query.channel) return false;
    if (query.status === 'attention') return needsAttention(row);
    if (query.status === 'open') return row.status.state === 'open' || row.status.state === 'closing';
    if (query.status === 'closed') return row.status.state === 'closed' || row.status.state === 'not-yet-open';
    return true;
  });
  const sign = query.dir === 'asc' ? 1 : -1;
  return kept.sort((a, b) => compareValues(sortValue(a, query.sort), sortValue(b, query.sort)) * sign || compareValues(sortValue(a, 'name'), sortValue(b, 'name')));
}

/** What the top of the console says, most urgent first. */
export type Alert =
  | { readonly kind: 'closed' | 'not-yet-open' | 'closing'; readonly vendors: ReadonlyArray<string>; readonly days: number }
  | { readonly kind: 'review-overdue' | 'review-missing'; readonly vendors: ReadonlyArray<string> }
  | { readonly kind: 'caught' | 'blocked-minors'; readonly vendors: ReadonlyArray<string>; readonly count: number };

/**
 * The alerts: contracts closed, not open yet or closing (with the soonest day count: "1 contract
 * expires in 12 days"), reviews overdue or missing, and patron data caught or minors blocked in
 * the window shown. One alert per kind, naming its vendors.
 */
export function listAlerts(rows: ReadonlyArray<OverviewRow>): Alert[] {
  const alerts: Alert[] = [];
  const names = (list: ReadonlyArray<OverviewRow>) => list.map((r) => r.name);
  for (const kind of ['closed', 'not-yet-open', 'closing'] as const) {
    const matching = rows.filter((r) => r.status.state === kind);
    if (matching.length === 0) continue;
    const days = matching.map((r) => ('days' in r.status ? r.status.days : 0));
    alerts.push({ kind, vendors: names(matching), days: kind === 'closed' ? Math.max(...days) : Math.min(...days) });
  }
  for (const [kind, state] of [['review-overdue', 'overdue'], ['review-missing', 'missing']] as const) {
    const matching = rows.filter((r) => r.review.state === state);
    if (matching.length > 0) alerts.push({ kind, vendors: names(matching) });
  }
  for (const [kind, measure] of [['caught', 'caught'], ['blocked-minors', 'blockedMinors']] as const) {
    const matching = rows.filter((r) => (r.figures[measure].value ?? 0) > 0);
    if (matching.length > 0) alerts.push({ kind, vendors: names(matching), count: matching.reduce((t, r) => t + (r.figures[measure].value ?? 0), 0) });
  }
  return alerts;
}
