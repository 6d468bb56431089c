import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CompiledContract } from '../contracts/compiled-contract.ts';
import type { FieldOutcome } from '../minimize/minimize.ts';
import { scoreContract, scoreTraffic } from './minimization-score.ts';
import type { CatchLocation } from '../policy/guard/patron-guard.ts';

export { REQUEST_OUTCOMES, type RequestOutcome } from '../errors/request-outcomes.ts';
import { REQUEST_OUTCOMES, type RequestOutcome } from '../errors/request-outcomes.ts';

/** The vendor label for requests that named no known vendor (never the name they gave). */
export const UNKNOWN_VENDOR_LABEL = '_unknown';

export type UpstreamErrorKind = 'refused' | 'reset' | 'timeout' | 'bad_status';

/**
 * The gateway's metrics, on a registry passed in (never the global one). Label values come only
 * from contracts and the fixed sets above: vendor ids, canonical field names, outcomes.
 */
export interface GatewayMetrics {
  readonly registry: Registry;
  countRequest(vendor: string, outcome: RequestOutcome): void;
  countRelease(vendor: string, field: string, action: FieldOutcome): void;
  countCatch(vendor: string, location: CatchLocation, decision: 'redacted' | 'blocked', count: number): void;
  countNotice(vendor: string, decision: 'shown' | 'accepted' | 'declined' | 'revoked'): void;
  countUpstreamError(vendor: string, kind: UpstreamErrorKind): void;
  observeOverhead(vendor: string, seconds: number): void;
  /** A counter for one (vendor, field, action), bound once: for the hot path, which counts every field of every request. */
  bindRelease(vendor: string, field: string, action: FieldOutcome): () => void;
  /** Live counts since start, for the staff console (the same numbers as the counters). */
  snapshot(): MeteringSnapshot;
}

/** Counts since the process started, per vendor. Only labels and numbers: no patron data. */
export interface MeteringSnapshot {
  readonly vendors: Readonly<Record<string, VendorCounts>>;
}

export interface VendorCounts {
  readonly requests: Readonly<Partial<Record<RequestOutcome, number>>>;
  readonly releases: Readonly<Partial<Record<FieldOutcome, number>>>;
  readonly releasesByField: Readonly<Record<string, Readonly<Partial<Record<FieldOutcome, number>>>>>;
  readonly caught: Readonly<Partial<Record<CatchLocation, number>>>;
  readonly notices: Readonly<Partial<Record<'shown' | 'accepted' | 'declined' | 'revoked', number>>>;
  readonly upstreamErrors: Readonly<Partial<Record<UpstreamErrorKind, number>>>;
  readonly scoreContract?: number;
  readonly scoreTraffic?: number;
}

interface MutableCounts {
  requests: Partial<Record<RequestOutcome, number>>;
  releases: Partial<Record<FieldOutcome, number>>;
  releasesByField: Record<string, Partial<Record<FieldOutcome, number>>>;
  caught: Partial<Record<CatchLocation, number>>;
  notices: Partial<Record<'shown' | 'accepted' | 'declined' | 'revoked', number>>;
  upstreamErrors: Partial<Record<UpstreamErrorKind, number>>;
}

function bump<K extends string>(record: Partial<Record<K, number>>, key: K, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/**
 * Builds the metrics on `registry`. `contracts` gives the vendors (their contract-based score is
 * published from the start; the traffic-based one once a request has been proxied).
 */
export function createGatewayMetrics(registry: Registry, build: { version: string }, contracts: Iterable<CompiledContract> = []): GatewayMetrics {
  const contractList = [...contracts];
  const tallies = new Map<string, MutableCounts>();
  const tally = (vendor: string): MutableCounts => {
    let counts = tallies.get(vendor);
    if (!counts) {
      counts = { requests: {}, releases: {}, releasesByField: {}, caught: {}, notices: {}, upstreamErrors: {} };
      tallies.set(vendor, counts);
    }
    return counts;
  };
  new Gauge({
    name: 'gateway_minimization_score',
    help: 'How little of a patron each vendor gets: 0 (all passed) to 1 (nothing), by contract and by traffic. See the README.',
    labelNames: ['vendor', 'basis'],
    registers: [registry],
    collect() {
      this.reset();
      for (const contract of contractList) {
        this.set({ vendor: contract.id, basis: 'contract' }, scoreContract(contract));
        const traffic = scoreTraffic(tallies.get(contract.id)?.releases ?? {});
        if (traffic !== undefined) this.set({ vendor: contract.id, basis: 'traffic' }, traffic);
      }
    },
  });
  const requests = new Counter({ name: 'gateway_requests_total', help: 'Requests to vendors, by how they ended.', labelNames: ['vendor', 'outcome'], registers: [registry] });
  const releases = new Counter({
    name: 'gateway_field_releases_total',
    help: 'Patron fields per proxied request, by what happened to them.',
    labelNames: ['vendor', 'field', 'action'],
    registers: [registry],
  });
  const caught = new Counter({
    name: 'gateway_patron_data_caught_total',
    help: "The patron's own values found in requests to vendors.",
    labelNames: ['vendor', 'location', 'decision'],
    registers: [registry],
  });
  const notices = new Counter({ name: 'gateway_notices_total', help: 'Third-party notices, by decision.', labelNames: ['vendor', 'decision'], registers: [registry] });
  const upstreamErrors = new Counter({ name: 'gateway_upstream_errors_total', help: 'Failed exchanges with vendors.', labelNames: ['vendor', 'kind'], registers: [registry] });
  const overhead = new Histogram({
    name: 'gateway_overhead_seconds',
    help: 'Time spent inside the gateway per proxied request, vendor time excluded.',
    labelNames: ['vendor'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  });
  const buildInfo = new Gauge({ name: 'gateway_build_info', help: 'Build information.', labelNames: ['version', 'node'], registers: [registry] });
  buildInfo.set({ version: build.version, node: process.version }, 1);
  // prom-client hashes a label set on every inc(); the hot counters keep their bound children.
  const requestChildren = new Map<string, { inc(by?: number): void }>();
  const releaseChildren = new Map<string, { inc(by?: number): void }>();
  const overheadChildren = new Map<string, { observe(value: number): void }>();
  const bound = <L extends Record<string, string>>(cache: Map<string, { inc(by?: number): void }>, counter: Counter<keyof L & string>, labels: L): { inc(by?: number): void } => {
    const key = Object.values(labels).join('\u0000');
    let child = cache.get(key);
    if (!child) {
      child = counter.labels(labels);
      cache.set(key, child);
    }
    return child;
  };
  return {
    registry,
    countRequest(vendor, outcome) {
      bound(requestChildren, requests, { vendor, outcome }).inc();
      bump(tally(vendor).requests, outcome);
    },
    countRelease(vendor, field, action) {
      bound(releaseChildren, releases, { vendor, field, action }).inc();
      const counts = tally(vendor);
      bump(counts.releases, action);
      bump((counts.releasesByField[field] ??= {}), action);
    },
    countCatch(vendor, location, decision, count) {
      caught.inc({ vendor, location, decision }, count);
      bump(tally(vendor).caught, location, count);
    },
    countNotice(vendor, decision) {
      notices.inc({ vendor, decision });
      bump(tally(vendor).notices, decision);
    },
    countUpstreamError(vendor, kind) {
      upstreamErrors.inc({ vendor, kind });
      bump(tally(vendor).upstreamErrors, kind);
    },
    observeOverhead(vendor, seconds) {
      let child = overheadChildren.get(vendor);
      if (!child) overheadChildren.set(vendor, (child = overhead.labels({ vendor })));
      child.observe(seconds);
    },
    bindRelease(vendor, field, action) {
      const child = bound(releaseChildren, releases, { vendor, field, action });
      const counts = tally(vendor);
      const byField = (counts.releasesByField[field] ??= {});
      return () => {
        child.inc();
        bump(counts.releases, action);
        bump(byField, action);
      };
    },
    snapshot() {
      const vendors: Record<string, VendorCounts> = {};
      for (const contract of contractList) tally(contract.id);
      for (const [vendor, counts] of tallies) {
        const contract = contractList.find((c) => c.id === vendor);
        const traffic = scoreTraffic(counts.releases);
        vendors[vendor] = structuredClone({
          ...counts,
          ...(contract ? { scoreContract: scoreContract(contract) } : {}),
          ...(traffic !== undefined ? { scoreTraffic: traffic } : {}),
        });
      }
      return { vendors };
    },
  };
}
