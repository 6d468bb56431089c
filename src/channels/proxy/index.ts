import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { GatewayError, toGatewayError } from '../../errors/gateway-error.ts';
import { sendError } from '../../web/errors/send-error.ts';
import type { PageBrand } from '../../web/branding/page-brand.ts';
import { chooseLanguage } from '../../web/messages/choose-language.ts';
import type { Logger } from '../../log/create-logger.ts';
import { UNKNOWN_VENDOR_LABEL, type GatewayMetrics } from '../../metering/gateway-metrics.ts';
import type { RememberedMinimizer } from '../../minimize/remember-results.ts';
import type { AssertionSigner } from './deliver-identity/assertion-signer.ts';
import { createDeliverIdentityStage } from './deliver-identity/deliver-identity-stage.ts';
import { createFilterResponseStage } from './filter-response/filter-response-stage.ts';
import { createForwardStage } from './forward/forward-stage.ts';
import { createGateStage } from './gate/gate-stage.ts';
import type { NoticeGate } from '../../notices/notice-gate.ts';
import { createIdentifyStage } from './identify/identify-stage.ts';
import type { PatronResolver } from '../../sessions/resolve-patron.ts';
import type { PatronTagger } from '../../policy/pseudonyms/patron-tag.ts';
import { createMatchContractStage } from './match-contract/match-contract-stage.ts';
import { parseVendorPath } from './parse-vendor-path.ts';
import type { ProxyContext } from './proxy-context.ts';
import { createRecordStage } from './record/record-stage.ts';
import { createScrubRequestStage } from './scrub-request/scrub-request-stage.ts';
import { createVendorCookieReader } from './scrub-request/vendor-cookies.ts';
import { createBindVendorCookiesStage } from './bind-vendor-cookies/bind-vendor-cookies-stage.ts';
import type { Stage } from './stage.ts';
import type { Tracing } from '../../log/tracing.ts';

export interface ProxyDeps {
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly resolver: PatronResolver;
  /** The minimizer, remembering results per session, vendor, consents and day. */
  readonly minimizer: RememberedMinimizer;
  readonly signer: AssertionSigner;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly bodyLimit: number;
  /** Sockets open to one vendor at most (limits.upstreamSocketsPerVendor). */
  readonly upstreamSocketsPerVendor: number;
  readonly secureCookies: boolean;
  /** The gateway's public origin (for the notice's way back). */
  readonly publicOrigin: string;
  /** Binds every stored vendor cookie to the patron it was set for (keyed tag of patron and vendor). */
  readonly patronTagger: PatronTagger;
  /** Filled in by the notices feature; without it every patron passes the notice part of the gate. */
  readonly noticeGate?: NoticeGate;
  /** The id the gateway gave the request (for its log lines). */
  readonly requestIdOf?: (req: IncomingMessage) => string | undefined;
  /** Spans per request and per stage (vendor id and outcome only), when observability.otlp is set. */
  readonly tracing?: Tracing;
  /** The library's branding on error pages. */
  readonly brand?: PageBrand;
}

export interface ProxyPipeline {
  /** The stages in order, for the README and tests. */
  readonly stages: ReadonlyArray<Stage>;
  /** Handles a request whose target is under /v/. Returns false for any other target. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Problems found by the stages at startup. */
  validate(): string[];
  close(): void;
}

/**
 * The request pipeline for /v/{vendor}/..., its order written once, here:
 *
 *   identify -> match contract -> minors and notice gate -> scrub request -> deliver identity
 *   -> forward -> filter response -> bind vendor cookies -> record
 *
 * `run` hooks execute in this order on the way in; `respond` hooks when the vendor's response
 * headers arrive; `finish` hooks when the response is over (whatever happened).
 */
export function createProxyPipeline(deps: ProxyDeps): ProxyPipeline {
  const forward = createForwardStage({
    contracts: deps.contracts,
    onResponse: (context, upstream) => respond(context, upstream),
    onError: (context, error) => fail(context, error),
    socketsPerVendor: deps.upstreamSocketsPerVendor,
  });
  const stages: Stage[] = [
    createIdentifyStage({ resolver: deps.resolver }),
    createMatchContractStage({ contracts: deps.contracts }),
    createGateStage({ minimizer: deps.minimizer, publicOrigin: deps.publicOrigin, ...(deps.noticeGate ? { noticeGate: deps.noticeGate } : {}) }),
    createScrubRequestStage({ bodyLimit: deps.bodyLimit, vendorCookies: createVendorCookieReader(deps.patronTagger), tagger: deps.patronTagger }),
    createDeliverIdentityStage({ signer: deps.signer }),
    forward,
    createFilterResponseStage({ secureCookies: deps.secureCookies, publicOrigin: deps.publicOrigin, contracts: deps.contracts, tagger: deps.patronTagger }),
    createBindVendorCookiesStage({ tagger: deps.patronTagger, secureCookies: deps.secureCookies }),
    createRecordStage({ metrics: deps.metrics, logger: deps.logger, knownVendors: new Set(deps.contracts.keys()) }),
  ];
  const runHooks = stages.filter((s) => s.run);
  const respondHooks = stages.filter((s) => s.respond);
  const finishHooks = stages.filter((s) => s.finish);

  function respond(context: ProxyContext, upstream: IncomingMessage): void {
    const started = process.hrtime.bigint();
    endForwardSpan(context, 'answered');
    if (context.trace) {
      for (const stage of respondHooks) {
        const span = context.trace.stage(stage.name);
        stage.respond?.(context, upstream);
        span.end('continue', context.contract?.id);
      }
    } else for (const stage of respondHooks) stage.respond?.(context, upstream);
    context.gatewayNanos += process.hrtime.bigint() - started;
  }

  function endForwardSpan(context: ProxyContext, outcome: string): void {
    context.forwardSpan?.end(outcome, context.contract?.id);
    context.forwardSpan = undefined;
  }

  /** What the request came to (as record counts it) and its vendor label: a span's only attributes. */
  function traceLabels(context: ProxyContext): { outcome: string; vendor: string } {
    const vendor = context.contract?.id ?? (context.vendorId !== undefined && deps.contracts.has(context.vendorId) ? context.vendorId : UNKNOWN_VENDOR_LABEL);
    return { outcome: context.upstreamError !== undefined ? 'upstream_error' : (context.outcome ?? 'bad_request'), vendor };
  }

  function fail(context: ProxyContext, error: GatewayError): void {
    endForwardSpan(context, error.outcome);
    if (error.code === 'internal') deps.logger.error('pipeline error', { vendor: context.contract?.id, code: error.code, requestId: context.requestId });
    // The catalogue decides the outcome; an upstream failure after forwarding stays an upstream error.
    context.outcome = context.outcome === 'proxied' && error.outcome === 'internal_error' ? 'upstream_error' : error.outcome;
    // The page speaks the patron's language (their choice, then their record), not only the browser's.
    sendError(context.req, context.res, chooseLanguage(context.req, context.patron?.language), error, context.contract?.name, deps.brand);
  }

  /**
   * Runs the `run` hooks from stage `from` on, synchronously for as long as stages answer
   * synchronously (a warm session, notice and assertion: the common case), and continues after a
   * stage's promise only when it has to wait. A failure anywhere answers through the catalogue.
   */
  function runFrom(context: ProxyContext, from: number): void {
    try {
      for (let i = from; i < runHooks.length; i++) {
        const stage = runHooks[i] as Stage;
        // Time inside the gateway on the way in: from arrival until the request is handed to the vendor.
        if (stage === forward) context.gatewayNanos = process.hrtime.bigint() - context.startedAt;
        if (context.trace) {
          runTraced(context, stage, i);
          return;
        }
        const result = stage.run?.(context);
        if (result instanceof Promise) {
          result.then(
            (settled) => (settled === 'handled' ? undefined : runFrom(context, i + 1)),
            (error: unknown) => answerFailure(context, error),
          );
          return;
        }
        if (result === 'handled') return;
      }
    } catch (error) {
      answerFailure(context, error);
    }
  }

  /** runFrom with a span around each stage (the forward stage's stays open until the vendor answers). */
  function runTraced(context: ProxyContext, stage: Stage, i: number): void {
    const span = context.trace?.stage(stage.name);
    const settle = (settled: void | 'handled'): void => {
      if (stage === forward && settled === 'handled') context.forwardSpan = span;
      else span?.end(settled === 'handled' ? 'handled' : 'continue', context.contract?.id);
      if (settled !== 'handled') runFrom(context, i + 1);
    };
    const failed = (error: unknown): void => {
      const gatewayError = toGatewayError(error);
      span?.end(gatewayError.outcome, context.contract?.id);
      answerFailure(context, gatewayError);
    };
    let result: ReturnType<NonNullable<Stage['run']>>;
    try {
      result = stage.run?.(context);
    } catch (error) {
      failed(error);
      return;
    }
    if (result instanceof Promise) result.then(settle, failed);
    else settle(result);
  }

  function answerFailure(context: ProxyContext, error: unknown): void {
    if (context.gatewayNanos === 0n) context.gatewayNanos = process.hrtime.bigint() - context.startedAt;
    fail(context, toGatewayError(error));
  }

  return {
    stages,
    validate: () => stages.flatMap((s) => s.validate?.() ?? []),
    close: () => forward.close(),
    handle(req, res) {
      const target = req.url ?? '/';
      const parsed = parseVendorPath(target);
      if (parsed === undefined) return false;
      const requestId = deps.requestIdOf?.(req);
      const context: ProxyContext = {
        req,
        res,
        ...(requestId !== undefined ? { requestId } : {}),
        ...(deps.tracing ? { trace: deps.tracing.startRequest() } : {}),
        now: deps.clock(),
        startedAt: process.hrtime.bigint(),
        upstreamPath: parsed.ok ? parsed.rest : '/',
        query: parsed.ok ? parsed.query : '',
        headers: {},
        catches: [],
        gatewayNanos: 0n,
        ...(parsed.vendor !== undefined ? { vendorId: parsed.vendor } : {}),
      };
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        const trace = context.trace;
        if (!trace) {
          for (const stage of finishHooks) stage.finish?.(context);
          return;
        }
        // A connection cut before the vendor answered.
        endForwardSpan(context, 'cut');
        const labels = traceLabels(context);
        for (const stage of finishHooks) {
          const span = trace.stage(stage.name);
          stage.finish?.(context);
          span.end(labels.outcome, labels.vendor);
        }
        trace.end(labels.outcome, labels.vendor);
      };
      // 'close' follows 'finish' on a completed response, and comes alone on a cut connection.
      res.once('close', finish);
      if (!parsed.ok) {
        if (parsed.reason === 'needs-slash' && deps.contracts.has(parsed.vendor ?? '')) {
          res.statusCode = 308;
          res.setHeader('Location', `/v/${parsed.vendor}/`);
          res.end();
          context.outcome = 'bad_request';
          return true;
        }
        fail(context, new GatewayError(parsed.reason === 'needs-slash' ? 'unknown_vendor' : 'bad_request'));
        return true;
      }
      runFrom(context, 0);
      return true;
    },
  };
}
