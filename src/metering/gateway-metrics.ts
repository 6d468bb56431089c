import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CompiledContract } from '../contracts/compiled-contract.ts';
import { FIELD_OUTCOMES, type FieldOutcome, type MinimizeResult } from '../minimize/minimize.ts';
import { CANONICAL_FIELDS } from '../policy/canonical-fields.ts';
import { scoreContract, scoreTraffic } from './minimization-score.ts';
import type { CatchLocation } from '../policy/guard/patron-guard.ts';

export { REQUEST_OUTCOMES, type RequestOutcome } from '../errors/request-outcomes.ts';
import { REQUEST_OUTCOMES, type RequestOutcome } from '../errors/request-outcomes.ts';

/** The vendor label for requests that named no known vendor (never the name they gave). */
export const UNKNOWN_VENDOR_LABEL = '_unknown';

export type UpstreamErrorKind = 'refused' | 'reset' | 'timeout' | 'bad_status';

/** The channel a vendor's traffic went through: the HTTP proxy, the SIP2 mediator, the SAML identity provider or the OpenID Connect provider. A label on every vendor family. */
export const CHANNELS = ['http', 'sip2', 'saml', 'oidc'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The channel a contract's vendor is served on. */
export function findChannel(contract: CompiledContract): Channel {
  const delivery = contract.identity.delivery;
  return delivery === 'sip2' ? 'sip2' : delivery === 'saml' ? 'saml' : delivery === 'oidc' ? 'oidc' : 'http';
}

/**
 * The gateway's metrics, on a registry passed in (never the global one). Label values come only
 * from contracts and the fixed sets above: vendor ids, canonical field names, outcomes.
 */
export interface GatewayMetrics {
  readonly registry: Registry;
  countRequest(vendor: string, outcome: RequestOutcome, channel?: Channel): void;
  /**
   * Counts every field decision of one proxied request's minimizer result, once: one increment
   * of a per-vendor typed array per field, which prom-client reads at scrape time and the staff
   * console reads as a snapshot.
   */
  countReleases(vendor: string, result: MinimizeResult, channel?: Channel): void;
  countCatch(vendor: string, location: CatchLocation, decision: 'redacted' | 'blocked', count: number): void;
  countNotice(vendor: string, decision: 'shown' | 'accepted' | 'declined' | 'revoked'): void;
  countUpstreamError(vendor: string, kind: UpstreamErrorKind, channel?: Channel): void;
  observeOverhead(vendor: string, seconds: number, channel?: Channel): void;
  /**
   * Browse mode: a host kept from the patron's browser (a third-party host the contract does not name,
   * or a collection endpoint it blocks), by kind from a fixed set: never the host itself.
   */
  countBlockedHost(vendor: string, hostKind: string): void;
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

// Typed-array layouts: requests by outcome; releases by (canonical field, field outcome).
const OUTCOME_SLOT = new Map<RequestOutcome, number>(REQUEST_OUTCOMES.map((o, i) => [o, i]));
const FIELD_SLOT = new Map<string, number>(CANONICAL_FIELDS.map((f, i) => [f, i]));
const ACTION_SLOT = new Map<FieldOutcome, number>(FIELD_OUTCOMES.map((o, i) => [o, i]));
const RELEASE_SLOTS = CANONICAL_FIELDS.length * FIELD_OUTCOMES.length;
/** What a field released by each rule action counts as. */
const RELEASED_OUTCOME = { pass: 'passed', pseudonymize: 'pseudonymized', generalize: 'generalized' } as const satisfies Record<string, FieldOutcome>;
const CATCH_LOCATIONS: ReadonlyArray<CatchLocation> = ['path', 'query', 'header', 'body'];

/** Live counts of one vendor on one channel, as flat arrays (no labels, no hashing on the hot path). */
interface VendorTally {
  readonly vendor: string;
  readonly channel: Channel;
  readonly requests: Float64Array;
  readonly releases: Float64Array;
  readonly caught: Partial<Record<CatchLocation, number>>;
  readonly notices: Partial<Record<'shown' | 'accepted' | 'declined' | 'revoked', number>>;
  readonly upstreamErrors: Partial<Record<UpstreamErrorKind, number>>;
}

/** A vendor's tallies over every channel, summed (the staff console shows one card per vendor). */
function mergeChannels(tallies: Iterable<VendorTally>): Map<string, VendorTally> {
  const merged = new Map<string, VendorTally>();
  for (const counts of tallies) {
    const seen = merged.get(counts.vendor);
    if (!seen) {
      merged.set(counts.vendor, counts);
      continue;
    }
    const sum: VendorTally = {
      vendor: counts.vendor,
      channel: seen.channel,
      requests: seen.requests.map((value, i) => value + (counts.requests[i] ?? 0)),
      releases: seen.releases.map((value, i) => value + (counts.releases[i] ?? 0)),
      caught: { ...seen.caught },
      notices: { ...seen.notices },
      upstreamErrors: { ...seen.upstreamErrors },
    };
    for (const [kind, value] of Object.entries(counts.upstreamErrors) as Array<[UpstreamErrorKind, number]>) bump(sum.upstreamErrors, kind, value);
    merged.set(counts.vendor, sum);
  }
  return merged;
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
  // Keyed by vendor for the HTTP channel (the hot path builds no string), by channel and vendor otherwise.
  const tallies = new Map<string, VendorTally>();
  const tally = (vendor: string, channel: Channel = 'http'): VendorTally => {
    const key = channel === 'http' ? vendor : `${channel}\u0000${vendor}`;
    let counts = tallies.get(key);
    if (!counts) {
      counts = { vendor, channel, requests: new Float64Array(REQUEST_OUTCOMES.length), releases: new Float64Array(RELEASE_SLOTS), caught: {}, notices: {}, upstreamErrors: {} };
      tallies.set(key, counts);
    }
    return counts;
  };
  for (const contract of contractList) tally(contract.id, findChannel(contract));
  // A contract vendor's series are published from the start at 0: Prometheus's increase() cannot see
  // the first increment of a series that appears with it already counted (the staff console's windows).
  const contractVendors = new Set(contractList.map((c) => c.id));
  const releasedSlots = new Map<string, ReadonlyArray<number>>(
    contractList.map((c) => [c.id, c.rules.filter((r) => r.action !== 'drop').map((r) => (FIELD_SLOT.get(r.field) as number) * FIELD_OUTCOMES.length + (ACTION_SLOT.get(RELEASED_OUTCOME[r.action as 'pass']) as number))]),
  );
  // Each remembered minimizer result comes back request after request: its slots are worked out once.
  const slotsOf = new WeakMap<MinimizeResult, Uint16Array>();
  const releasesByOutcome = (releases: Float64Array): Partial<Record<FieldOutcome, number>> => {
    const out: Partial<Record<FieldOutcome, number>> = {};
    FIELD_OUTCOMES.forEach((outcome, a) => {
      let sum = 0;
      for (let f = 0; f < CANONICAL_FIELDS.length; f++) sum += releases[f * FIELD_OUTCOMES.length + a] ?? 0;
      if (sum > 0) out[outcome] = sum;
    });
    return out;
  };
  new Gauge({
    name: 'gateway_minimization_score',
    help: 'How little of a patron each vendor gets: 0 (all passed) to 1 (nothing), by contract and by traffic. See the README.',
    labelNames: ['vendor', 'basis', 'channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const contract of contractList) {
        const channel = findChannel(contract);
        this.set({ vendor: contract.id, basis: 'contract', channel }, scoreContract(contract));
        const counts = tallies.get(channel === 'http' ? contract.id : `${channel}\u0000${contract.id}`);
        const traffic = scoreTraffic(counts ? releasesByOutcome(counts.releases) : {});
        if (traffic !== undefined) this.set({ vendor: contract.id, basis: 'traffic', channel }, traffic);
      }
    },
  });
  new Counter({
    name: 'gateway_requests_total',
    help: 'Requests to vendors, by how they ended.',
    labelNames: ['vendor', 'outcome', 'channel'],
    registers: [registry],
    // Read from the tallies at scrape time: the hot path only increments an array slot.
    collect() {
      this.reset();
      for (const { vendor, channel, ...counts } of tallies.values()) {
        const zeros = contractVendors.has(vendor);
        REQUEST_OUTCOMES.forEach((outcome, i) => {
          const value = counts.requests[i] ?? 0;
          if (value > 0 || zeros) this.inc({ vendor, outcome, channel }, value);
        });
      }
    },
  });
  new Counter({
    name: 'gateway_field_releases_total',
    help: 'Patron fields per proxied request, by what happened to them.',
    labelNames: ['vendor', 'field', 'action', 'channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { vendor, channel, ...counts } of tallies.values()) {
        const zeros = new Set(releasedSlots.get(vendor) ?? []);
        CANONICAL_FIELDS.forEach((field, f) => {
          FIELD_OUTCOMES.forEach((action, a) => {
            const value = counts.releases[f * FIELD_OUTCOMES.length + a] ?? 0;
            if (value > 0 || zeros.has(f * FIELD_OUTCOMES.length + a)) this.inc({ vendor, field, action, channel }, value);
          });
        });
      }
    },
  });
  const caught = new Counter({
    name: 'gateway_patron_data_caught_total',
    help: "The patron's own values found in requests to vendors.",
    labelNames: ['vendor', 'location', 'decision', 'channel'],
    registers: [registry],
  });
  for (const contract of contractList) {
    if (findChannel(contract) !== 'http') continue;
    for (const location of CATCH_LOCATIONS) for (const decision of ['redacted', 'blocked'] as const) caught.inc({ vendor: contract.id, location, decision, channel: 'http' }, 0);
  }
  const notices = new Counter({ name: 'gateway_notices_total', help: 'Third-party notices, by decision.', labelNames: ['vendor', 'decision', 'channel'], registers: [registry] });
  const upstreamErrors = new Counter({ name: 'gateway_upstream_errors_total', help: 'Failed exchanges with vendors.', labelNames: ['vendor', 'kind', 'channel'], registers: [registry] });
  const overhead = new Histogram({
    name: 'gateway_overhead_seconds',
    help: 'Time spent inside the gateway per proxied request or SIP2 lookup, vendor and ILS time excluded.',
    labelNames: ['vendor', 'channel'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  });
  const blockedHosts = new Counter({
    name: 'gateway_blocked_hosts_total',
    help: 'Browse mode: requests and page references to hosts kept from the patron (third-party hosts, collection endpoints), by kind.',
    labelNames: ['vendor', 'host_kind'],
    registers: [registry],
  });
  const buildInfo = new Gauge({ name: 'gateway_build_info', help: 'Build information.', labelNames: ['version', 'node'], registers: [registry] });
  buildInfo.set({ version: build.version, node: process.version }, 1);
  // prom-client hashes a label set on every observe(); the histogram keeps a bound child per vendor.
  const overheadChildren = new Map<string, { observe(value: number): void }>();
  return {
    registry,
    countRequest(vendor, outcome, channel = 'http') {
      const requests = tally(vendor, channel).requests;
      const slot = OUTCOME_SLOT.get(outcome) as number;
      requests[slot] = (requests[slot] ?? 0) + 1;
    },
    countReleases(vendor, result, channel = 'http') {
      let slots = slotsOf.get(result);
      if (slots === undefined) {
        slots = Uint16Array.from(result.decisions, (d) => (FIELD_SLOT.get(d.field) as number) * FIELD_OUTCOMES.length + (ACTION_SLOT.get(d.outcome) as number));
        slotsOf.set(result, slots);
      }
      const releases = tally(vendor, channel).releases;
      for (const slot of slots) releases[slot] = (releases[slot] ?? 0) + 1;
    },
    countCatch(vendor, location, decision, count) {
      caught.inc({ vendor, location, decision, channel: 'http' }, count);
      bump(tally(vendor).caught, location, count);
    },
    countNotice(vendor, decision) {
      notices.inc({ vendor, decision, channel: 'http' });
      bump(tally(vendor).notices, decision);
    },
    countUpstreamError(vendor, kind, channel = 'http') {
      upstreamErrors.inc({ vendor, kind, channel });
      bump(tally(vendor, channel).upstreamErrors, kind);
    },
    observeOverhead(vendor, seconds, channel = 'http') {
      const key = channel === 'http' ? vendor : `${channel}\u0000${vendor}`;
      let child = overheadChildren.get(key);
      if (!child) overheadChildren.set(key, (child = overhead.labels({ vendor, channel })));
      child.observe(seconds);
    },
    countBlockedHost(vendor, hostKind) {
      blockedHosts.inc({ vendor, host_kind: hostKind });
    },
    snapshot() {
      const vendors: Record<string, VendorCounts> = {};
      for (const [vendor, counts] of mergeChannels(tallies.values())) {
        const contract = contractList.find((c) => c.id === vendor);
        const requests: Partial<Record<RequestOutcome, number>> = {};
        REQUEST_OUTCOMES.forEach((outcome, i) => {
          if ((counts.requests[i] ?? 0) > 0) requests[outcome] = counts.requests[i] as number;
        });
        const releasesByField: Record<string, Partial<Record<FieldOutcome, number>>> = {};
        CANONICAL_FIELDS.forEach((field, f) => {
          FIELD_OUTCOMES.forEach((action, a) => {
            const value = counts.releases[f * FIELD_OUTCOMES.length + a] ?? 0;
            if (value > 0) (releasesByField[field] ??= {})[action] = value;
          });
        });
        const releases = releasesByOutcome(counts.releases);
        const traffic = scoreTraffic(releases);
        vendors[vendor] = {
          requests,
          releases,
          releasesByField,
          caught: { ...counts.caught },
          notices: { ...counts.notices },
          upstreamErrors: { ...counts.upstreamErrors },
          ...(contract ? { scoreContract: scoreContract(contract) } : {}),
          ...(traffic !== undefined ? { scoreTraffic: traffic } : {}),
        };
      }
      return { vendors };
    },
  };
}
