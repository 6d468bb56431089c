import type { Logger } from '../../../log/create-logger.ts';
import { UNKNOWN_VENDOR_LABEL, type GatewayMetrics } from '../../../metering/gateway-metrics.ts';
import type { Stage } from '../stage.ts';

/**
 * Record: when the response is over, count the request by outcome, each field of the vendor view
 * by what happened to it, each patron value caught, and the time spent inside the gateway.
 * Labels come from the contract and fixed sets. Requests that did not simply succeed are also
 * logged, with the same labels, the status and the duration: never a value, URL or address.
 */
export function createRecordStage(deps: { metrics: GatewayMetrics; logger: Logger; knownVendors: ReadonlySet<string> }): Stage {
  return {
    name: 'record',
    finish(context) {
      const vendor = context.contract?.id ?? (context.vendorId !== undefined && deps.knownVendors.has(context.vendorId) ? context.vendorId : UNKNOWN_VENDOR_LABEL);
      let outcome = context.outcome ?? 'bad_request';
      if (context.upstreamError !== undefined) outcome = 'upstream_error';
      const status = context.res.statusCode;
      if (outcome === 'proxied' && status >= 500 && context.upstreamError === undefined) deps.metrics.countUpstreamError(vendor, 'bad_status');
      if (context.upstreamError !== undefined) deps.metrics.countUpstreamError(vendor, context.upstreamError);
      deps.metrics.countRequest(vendor, outcome);
      // Each field decision is counted once, here, when the request was proxied.
      if (outcome === 'proxied' && context.result) deps.metrics.countReleases(vendor, context.result);
      const decision = context.contract?.request.onPatronData === 'redact' && outcome !== 'blocked_patron_data' ? 'redacted' : 'blocked';
      for (const caught of context.catches) deps.metrics.countCatch(vendor, caught.location, decision, caught.count);
      const overheadSeconds = Number(context.gatewayNanos) / 1e9;
      if (outcome === 'proxied' || outcome === 'upstream_error') deps.metrics.observeOverhead(vendor, overheadSeconds);
      // Successful requests are counted, not logged: the log is for what needs attention.
      if (outcome !== 'proxied' || status >= 500) {
        deps.logger.info('vendor request', { vendor, outcome, status, requestId: context.requestId, durationMs: Math.round(Number(process.hrtime.bigint() - context.startedAt) / 1e4) / 100 });
      }
    },
  };
}
