import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { FieldOutcome } from '../policy/minimize.ts';
import type { CatchLocation } from '../proxy/guard/patron-guard.ts';

/** How a request to /v/{vendor}/ ended. A fixed set: metric labels never come from a request. */
export const REQUEST_OUTCOMES = [
  'proxied',
  'notice_required',
  'declined',
  'blocked_minor',
  'blocked_patron_data',
  'unauthenticated',
  'vendor_closed',
  'upstream_error',
  'unknown_vendor',
  'bad_request',
] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

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
}

export function createGatewayMetrics(registry: Registry, build: { version: string }): GatewayMetrics {
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
  return {
    registry,
    countRequest: (vendor, outcome) => requests.inc({ vendor, outcome }),
    countRelease: (vendor, field, action) => releases.inc({ vendor, field, action }),
    countCatch: (vendor, location, decision, count) => caught.inc({ vendor, location, decision }, count),
    countNotice: (vendor, decision) => notices.inc({ vendor, decision }),
    countUpstreamError: (vendor, kind) => upstreamErrors.inc({ vendor, kind }),
    observeOverhead: (vendor, seconds) => overhead.observe({ vendor }, seconds),
  };
}
