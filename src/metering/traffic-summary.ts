import type { MatrixSeries, VectorSample } from './promql-result.ts';

/** The time windows the staff console reads from Prometheus, and their length in seconds. */
export const TRAFFIC_WINDOWS = ['24h', '7d', '30d'] as const;
export type TrafficWindow = (typeof TRAFFIC_WINDOWS)[number];
export const WINDOW_SECONDS: Readonly<Record<TrafficWindow, number>> = { '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };

/** The figures the console shows per vendor. `blockedTrackers` is undefined when no gateway publishes that family. */
export interface VendorTraffic {
  readonly requests: number;
  readonly declines: number;
  readonly blockedMinors: number;
  readonly caught: number;
  readonly blockedTrackers: number | undefined;
}

export const TRAFFIC_MEASURES = ['requests', 'declines', 'blockedMinors', 'caught', 'blockedTrackers'] as const;
export type TrafficMeasure = (typeof TRAFFIC_MEASURES)[number];

/**
 * The samples of the families the console reads, summed over every other label but the ones
 * named: requests by vendor and outcome, caught and blocked hosts by vendor. `blockedHosts` is
 * undefined when the family is not there at all (browse mode not running).
 */
export interface TrafficSamples {
  readonly requests: ReadonlyArray<VectorSample>;
  readonly caught: ReadonlyArray<VectorSample>;
  readonly blockedHosts: ReadonlyArray<VectorSample> | undefined;
}

/** Per vendor: its figures. A vendor with no sample at all gets zeros (its counters were never touched). */
export function summarizeTraffic(samples: TrafficSamples, vendors: ReadonlyArray<string>): Map<string, VendorTraffic> {
  const out = new Map<string, VendorTraffic>();
  for (const vendor of vendors) {
    const requests = samples.requests.filter((s) => s.labels['vendor'] === vendor);
    const outcome = (name: string) => sumValues(requests.filter((s) => s.labels['outcome'] === name));
    out.set(vendor, {
      requests: sumValues(requests),
      declines: outcome('declined'),
      blockedMinors: outcome('blocked_minor'),
      caught: sumValues(samples.caught.filter((s) => s.labels['vendor'] === vendor)),
      blockedTrackers: blockedFor(samples.blockedHosts, vendor),
    });
  }
  return out;
}

/**
 * Counts are whole numbers; Prometheus's increase() is a float (it extrapolates to the window's
 * edges), so figures are rounded to the nearest whole number once summed.
 */
function sumValues(samples: ReadonlyArray<VectorSample>): number {
  return Math.round(samples.reduce((total, s) => total + s.value, 0));
}

export type Trend = 'up' | 'down' | 'flat' | 'new' | 'gone';

/** How a window compares with the window before it: new (from nothing), gone (to nothing), up, down or flat. */
export function describeTrend(current: number, previous: number): Trend {
  if (current === previous) return 'flat';
  if (previous === 0) return 'new';
  if (current === 0) return 'gone';
  return current > previous ? 'up' : 'down';
}

/** Per-day figures of one vendor: the day (YYYY-MM-DD, UTC, the day each 24-hour window ends) and its count. */
export interface DailyFigure {
  readonly day: string;
  readonly value: number;
}

/**
 * A range query's series (one per vendor, a point per day) as per-vendor days: every day of
 * `days` is present (0 where a vendor had no point), in order.
 */
export function spreadDaily(series: ReadonlyArray<MatrixSeries>, days: ReadonlyArray<string>, vendors: ReadonlyArray<string>): Map<string, DailyFigure[]> {
  const out = new Map<string, DailyFigure[]>();
  for (const vendor of vendors) {
    const byDay = new Map<string, number>();
    for (const s of series) {
      if (s.labels['vendor'] !== vendor) continue;
      for (const [time, value] of s.points) {
        const day = new Date(time * 1000).toISOString().slice(0, 10);
        byDay.set(day, (byDay.get(day) ?? 0) + value);
      }
    }
    out.set(vendor, days.map((day) => ({ day, value: Math.round(byDay.get(day) ?? 0) })));
  }
  return out;
}

/** The `count` days ending with the day of `end` (UTC), oldest first. */
export function listDays(end: Date, count: number): string[] {
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i--) days.push(new Date(end.getTime() - i * 86_400_000).toISOString().slice(0, 10));
  return days;
}

/**
 * Trackers blocked for one vendor: undefined (shown as "—") when nothing was ever recorded for it,
 * as Prometheus answers for a vendor with no series (only browse-mode vendors block hosts).
 */
function blockedFor(blockedHosts: ReadonlyArray<{ readonly labels: Readonly<Record<string, string>>; readonly value: number }> | undefined, vendor: string): number | undefined {
  const own = blockedHosts?.filter((s) => s.labels['vendor'] === vendor) ?? [];
  return own.length === 0 ? undefined : sumValues(own);
}
