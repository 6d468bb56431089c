import type { Registry } from 'prom-client';
import { parseMatrixAnswer, parseVectorAnswer, type PromqlAnswer, type VectorSample } from './promql-result.ts';
import { listDays, spreadDaily, summarizeTraffic, TRAFFIC_WINDOWS, WINDOW_SECONDS, type DailyFigure, type TrafficSamples, type TrafficWindow, type VendorTraffic } from './traffic-summary.ts';

/** How many days the per-day charts cover. */
export const DAILY_CHART_DAYS = 14;

/** The figures of one window and of the window before it (for the trend). */
export interface WindowFigures {
  readonly current: ReadonlyMap<string, VendorTraffic>;
  readonly previous: ReadonlyMap<string, VendorTraffic>;
}

/**
 * What the staff console knows about traffic: windows and per-day series from the library's
 * Prometheus, or the counts since this process started (no Prometheus configured, or it could not
 * be read: the page says which).
 */
export type TrafficHistory =
  | {
      readonly basis: 'prometheus';
      /** The time of the latest scrape of the gateway, where every query is evaluated. */
      readonly at: Date;
      readonly windows: Readonly<Record<TrafficWindow, WindowFigures>>;
      readonly daily: { readonly requests: ReadonlyMap<string, DailyFigure[]>; readonly releases: ReadonlyMap<string, DailyFigure[]> };
    }
  | {
      readonly basis: 'since-start';
      /** Why: no Prometheus configured, or it did not answer, or it holds nothing of this gateway yet. */
      readonly reason: 'not-configured' | 'unreachable' | 'no-data';
      readonly sinceStart: ReadonlyMap<string, VendorTraffic>;
      /** Fields released since start, per vendor. */
      readonly releases: ReadonlyMap<string, number>;
    };

export interface TrafficHistorySource {
  read(vendors: ReadonlyArray<string>): Promise<TrafficHistory>;
}

export interface PrometheusHistoryOptions {
  /** The Prometheus server's base URL (its HTTP API is under /api/v1/). */
  readonly url: string;
  /** The whole page's reads from Prometheus give up after this long. */
  readonly timeoutMs: number;
  /** Label matchers that pick this gateway's series out of the library's Prometheus, such as job="gateway". */
  readonly selector?: string;
  /** The fallback: this process's own registry. */
  readonly registry: Registry;
  readonly fetch?: typeof fetch;
  /** Told (without the URL) when Prometheus could not be read. */
  readonly onFailure?: (kind: 'timeout' | 'bad_answer' | 'unreachable') => void;
}

const RELEASED_ACTIONS = 'passed|pseudonymized|generalized';

/** The counts since start, from this process's registry (the same counters /metrics publishes). */
export function createSinceStartHistory(registry: Registry): TrafficHistorySource {
  return { read: async (vendors) => readSinceStart(registry, vendors, 'not-configured') };
}

/**
 * Reads windows and per-day series from the library's Prometheus over its HTTP API (PromQL), so
 * the gateway keeps nothing: every query is evaluated at the latest scrape of the gateway (where
 * increase() has nothing to extrapolate at the window's end). When Prometheus does not answer in
 * time, or answers something unusable, the counts since start are shown instead: the page never fails.
 */
export function createPrometheusHistory(options: PrometheusHistoryOptions): TrafficHistorySource {
  const doFetch = options.fetch ?? fetch;
  const base = options.url.replace(/\/+$/, '');
  const sel = options.selector ? `${options.selector}` : '';
  const within = (extra: string) => `{${[sel, extra].filter((s) => s !== '').join(',')}}`;
  async function get<T>(path: string, params: Record<string, string>, parse: (body: unknown) => PromqlAnswer<T>, signal: AbortSignal): Promise<T> {
    const response = await doFetch(`${base}${path}?${new URLSearchParams(params).toString()}`, { signal, headers: { accept: 'application/json' } });
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = parse(body);
    if (!parsed.ok) throw new Error(`HTTP ${response.status}: ${parsed.reason}`);
    return parsed.data;
  }
  return {
    async read(vendors) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const latest = await get('/api/v1/query', { query: `max(timestamp(gateway_build_info${within('')}))` }, parseVectorAnswer, signal);
        const at = latest[0]?.value;
        if (at === undefined) return await readSinceStart(options.registry, vendors, 'no-data');
        const time = String(at);
        const vector = (query: string) => get('/api/v1/query', { query, time }, parseVectorAnswer, signal);
        const windowSamples = async (window: TrafficWindow, offset: boolean): Promise<TrafficSamples & { blockedSeen: boolean }> => {
          const range = `[${window}]${offset ? ` offset ${window}` : ''}`;
          const [requests, caught, blockedHosts] = await Promise.all([
            vector(`sum by (vendor, outcome) (increase(gateway_requests_total${within('')}${range}))`),
            vector(`sum by (vendor) (increase(gateway_patron_data_caught_total${within('')}${range}))`),
            vector(`sum by (vendor) (increase(gateway_blocked_hosts_total${within('')}${range}))`),
          ]);
          return { requests, caught, blockedHosts, blockedSeen: blockedHosts.length > 0 };
        };
        const end = new Date(at * 1000);
        const days = listDays(end, DAILY_CHART_DAYS);
        const rangeParams = { start: String(at - (DAILY_CHART_DAYS - 1) * 86_400), end: time, step: '86400' };
        const [read, dailyRequests, dailyReleases] = await Promise.all([
          Promise.all(TRAFFIC_WINDOWS.map(async (window) => [window, await windowSamples(window, false), await windowSamples(window, true)] as const)),
          get('/api/v1/query_range', { query: `sum by (vendor) (increase(gateway_requests_total${within('')}[1d]))`, ...rangeParams }, parseMatrixAnswer, signal),
          get('/api/v1/query_range', { query: `sum by (vendor) (increase(gateway_field_releases_total${within(`action=~"${RELEASED_ACTIONS}"`)}[1d]))`, ...rangeParams }, parseMatrixAnswer, signal),
        ]);
        // The blocked-trackers family is there when any window has a series of it.
        const blockedSeen = read.some(([, current]) => current.blockedSeen);
        const withBlocked = (samples: TrafficSamples): TrafficSamples => ({ ...samples, blockedHosts: blockedSeen ? samples.blockedHosts : undefined });
        const windows = {} as Record<TrafficWindow, WindowFigures>;
        for (const [window, current, previous] of read) windows[window] = { current: summarizeTraffic(withBlocked(current), vendors), previous: summarizeTraffic(withBlocked(previous), vendors) };
        return { basis: 'prometheus', at: end, windows, daily: { requests: spreadDaily(dailyRequests, days, vendors), releases: spreadDaily(dailyReleases, days, vendors) } };
      } catch (error) {
        options.onFailure?.(classifyFailure(error));
        return readSinceStart(options.registry, vendors, 'unreachable');
      }
    },
  };
}

/** Why a read failed, as a fixed word for the log (fetch's errors can carry the URL): timeout, bad_answer or unreachable. */
export function classifyFailure(error: unknown): 'timeout' | 'bad_answer' | 'unreachable' {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  if (error instanceof Error && error.message.startsWith('HTTP ')) return 'bad_answer';
  return 'unreachable';
}

async function readFamily(registry: Registry, name: string): Promise<VectorSample[] | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const { values } = await metric.get();
  return values.map((v) => ({ labels: Object.fromEntries(Object.entries(v.labels).map(([k, l]) => [k, String(l)])), value: v.value }));
}

async function readSinceStart(registry: Registry, vendors: ReadonlyArray<string>, reason: 'not-configured' | 'unreachable' | 'no-data'): Promise<TrafficHistory> {
  const [requests, caught, blockedHosts, releases] = await Promise.all([
    readFamily(registry, 'gateway_requests_total'),
    readFamily(registry, 'gateway_patron_data_caught_total'),
    readFamily(registry, 'gateway_blocked_hosts_total'),
    readFamily(registry, 'gateway_field_releases_total'),
  ]);
  const released = new Set(RELEASED_ACTIONS.split('|'));
  const releasesByVendor = new Map(vendors.map((vendor) => [vendor, (releases ?? []).filter((s) => s.labels['vendor'] === vendor && released.has(s.labels['action'] ?? '')).reduce((t, s) => t + s.value, 0)]));
  return { basis: 'since-start', reason, sinceStart: summarizeTraffic({ requests: requests ?? [], caught: caught ?? [], blockedHosts }, vendors), releases: releasesByVendor };
}

