import { context as otelContext, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { RequestTrace, Tracing } from './tracing.ts';

export const VENDOR_ATTRIBUTE = 'gateway.vendor';
export const OUTCOME_ATTRIBUTE = 'gateway.outcome';

/**
 * Tracing exported over OTLP/HTTP (JSON) to `url` (a collector's /v1/traces), in batches (bounded:
 * at most 2048 spans wait; more are dropped, never buffered without end). The resource names the
 * service and its version only.
 */
export function createOtlpTracing(options: { readonly url: string; readonly version: string }): Tracing {
  const exporter = new OTLPTraceExporter({ url: options.url });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'patron-privacy-gateway', 'service.version': options.version }),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 2000 })],
  });
  const tracer = provider.getTracer('patron-privacy-gateway', options.version);
  const close = (span: Span, outcome: string, vendor: string | undefined): void => {
    if (vendor !== undefined) span.setAttribute(VENDOR_ATTRIBUTE, vendor);
    span.setAttribute(OUTCOME_ATTRIBUTE, outcome);
    span.end();
  };
  return {
    startRequest(): RequestTrace {
      const root = tracer.startSpan('proxy request');
      const parent = trace.setSpan(otelContext.active(), root);
      return {
        stage(name) {
          const span = tracer.startSpan(`proxy ${name}`, {}, parent);
          return { end: (outcome, vendor) => close(span, outcome, vendor) };
        },
        end: (outcome, vendor) => close(root, outcome, vendor),
      };
    },
    flush: () => provider.forceFlush(),
    close: () => provider.shutdown(),
  };
}
