/**
 * Traces of proxied requests: one span per request and one per pipeline stage. The only
 * attributes a span may carry are the vendor id and an outcome (a fixed code), so no URL, host,
 * header or patron value can reach a trace by mistake. src/log/otlp-tracing.ts exports them over
 * OTLP/HTTP when `observability.otlp.url` is set; otherwise there is no tracing at all.
 */
export interface StageSpan {
  /** Ends the stage's span with its outcome ('continue', 'handled', or the catalogue's outcome of its error). */
  end(outcome: string, vendor: string | undefined): void;
}

export interface RequestTrace {
  /** Starts a child span for one stage of this request. */
  stage(name: string): StageSpan;
  /** Ends the request's span. */
  end(outcome: string, vendor: string): void;
}

export interface Tracing {
  /** A trace for one proxied request. */
  startRequest(): RequestTrace;
  /** Sends every finished span now. */
  flush(): Promise<void>;
  /** Sends what is left and stops. */
  close(): Promise<void>;
}
