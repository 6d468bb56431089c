import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Patron } from '../../policy/patron.ts';
import type { MinimizeResult } from '../../minimize/minimize.ts';
import type { Session } from '../../sessions/session-token.ts';
import type { CatchLocation, PatronGuard } from '../../policy/guard/patron-guard.ts';
import type { RequestOutcome } from '../../metering/gateway-metrics.ts';
import type { RequestTrace, StageSpan } from '../../log/tracing.ts';

/**
 * Everything one proxied request accumulates as it moves through the pipeline. Created by the
 * pipeline runner, filled in stage by stage, dropped when the response ends: nothing outlives it.
 */
export interface ProxyContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly now: Date;
  /** process.hrtime.bigint() when the request arrived. */
  readonly startedAt: bigint;
  /** The request's id (X-Request-Id), for its log lines. */
  readonly requestId?: string;
  /** The vendor id from the path, once it has been matched to a contract. */
  vendorId?: string;
  contract?: CompiledContract;
  session?: Session;
  patron?: Patron;
  guard?: PatronGuard;
  /** The minimizer's result for this patron and vendor. */
  result?: MinimizeResult;
  /** The path after /v/{vendor}, raw (percent-encoded), starting with '/'. */
  upstreamPath: string;
  /** The query string without '?', raw. */
  query: string;
  /** The headers that will be sent upstream (already scrubbed). */
  headers: OutgoingHttpHeaders;
  /** The request body, when the pipeline had to read it; otherwise it streams. */
  body?: Buffer;
  /** Patron values found, by location. */
  readonly catches: Array<{ location: CatchLocation; count: number }>;
  outcome?: RequestOutcome;
  /** Set by forward when the upstream exchange fails, so record can count it. */
  upstreamError?: 'refused' | 'reset' | 'timeout' | 'bad_status';
  /** The request's trace, when observability.otlp is set. */
  readonly trace?: RequestTrace;
  /** The forward stage's span, open from the hand-over until the vendor answers or fails. */
  forwardSpan?: StageSpan | undefined;
  /** Nanoseconds spent inside the gateway's own stages (the vendor's time is not counted). */
  gatewayNanos: bigint;
}
