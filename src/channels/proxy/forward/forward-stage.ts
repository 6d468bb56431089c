import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { PassThrough } from 'node:stream';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { UpstreamErrorKind } from '../../../metering/gateway-metrics.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';
import { hasBody } from '../scrub-request/body-kind.ts';

export interface ForwardOptions {
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  /** Called when the vendor's response headers arrive (runs the pipeline's respond hooks). */
  readonly onResponse: (context: ProxyContext, upstream: IncomingMessage) => void;
  /** Called when the exchange fails before a response could be sent. */
  readonly onError: (context: ProxyContext, error: GatewayError) => void;
  /** Sockets open to one vendor at most (limits.upstreamSocketsPerVendor); requests beyond wait for a free one. */
  readonly socketsPerVendor: number;
}

/** What http-proxy-middleware and httpxy read of a request: its line, headers and socket, and a body to pipe. */
type RequestLine = Pick<IncomingMessage, 'method' | 'url' | 'headers' | 'httpVersion' | 'httpVersionMajor' | 'httpVersionMinor' | 'socket'>;

/**
 * The request the vendor receives, as http-proxy-middleware sees it: the scrubbed target and
 * headers, and a body of its own (the scrubbed body, or the patron's body streamed through; a
 * request without a body gets a stand-in that only ends the vendor's request, sparing a stream
 * per request). The patron's request itself is left exactly as it arrived, so error pages, logs
 * and the language still see what the patron sent.
 */
function createForwardedRequest(context: ProxyContext): RequestLine & { pipe(destination: NodeJS.WritableStream): unknown } {
  const req = context.req;
  const line: RequestLine = {
    method: req.method,
    url: context.query === '' ? context.upstreamPath : `${context.upstreamPath}?${context.query}`,
    headers: context.headers as IncomingMessage['headers'],
    httpVersion: '1.1',
    httpVersionMajor: 1,
    httpVersionMinor: 1,
    socket: req.socket,
  };
  if (context.body === undefined && !hasBody(req.headers)) return Object.assign(new EmptyBody(), line);
  const forwarded = Object.assign(new PassThrough(), line);
  if (context.body !== undefined) forwarded.end(context.body);
  else {
    // A streamed body: a patron who goes away mid-upload cuts the vendor's request too.
    req.once('aborted', () => forwarded.destroy(new Error('client aborted')));
    req.once('error', (error) => forwarded.destroy(error));
    req.pipe(forwarded);
  }
  return forwarded;
}

/** One exchange with a vendor: until its answer begins, a deadline runs. */
interface Exchange {
  readonly deadline: NodeJS.Timeout;
  proxyReq?: ClientRequest;
  /** The deadline passed before the request had a socket: the patron was answered; nothing goes to the vendor. */
  abandoned: boolean;
}

/** The body of a request that has none: piping it ends the destination, and it never emits anything. */
class EmptyBody {
  pipe<T extends NodeJS.WritableStream>(destination: T): T {
    destination.end();
    return destination;
  }
  on(): this {
    return this;
  }
  once(): this {
    return this;
  }
}

/**
 * Forward: hand the scrubbed request to http-proxy-middleware, one instance per vendor, each
 * with a keep-alive agent and the contract's upstream as its only possible target (the request
 * never chooses where it goes). Redirects are passed back, never followed. Failures become
 * 502/504 pages that name the vendor by its display name and nothing else.
 */
export function createForwardStage(options: ForwardOptions): Stage & { close(): void } {
  const agents: Array<HttpAgent | HttpsAgent> = [];
  const proxies = new Map<string, RequestHandler>();
  // The forwarded request of each exchange in flight -> its pipeline context.
  const contexts = new WeakMap<object, ProxyContext>();
  // The state of each exchange in flight: its deadline, and its request to the vendor once it has a socket.
  const exchanges = new WeakMap<ProxyContext, Exchange>();
  for (const contract of options.contracts.values()) {
    const upstream = contract.upstream;
    if (!upstream || contract.kind === 'grant') continue;
    // Parsed once: the target never changes, and the URL object spares a parse per request.
    const target = new URL(upstream.url);
    // Bounded: a vendor that hangs holds at most this many sockets; requests beyond queue, each
    // within the vendor's timeout (the deadline below starts before a socket is assigned).
    const agentOptions = { keepAlive: true, maxSockets: options.socketsPerVendor, maxFreeSockets: Math.min(options.socketsPerVendor, 256) };
    const agent = target.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    agents.push(agent);
    const timeoutMs = upstream.timeoutMs;
    proxies.set(
      contract.id,
      createProxyMiddleware<IncomingMessage, ServerResponse>({
        target,
        changeOrigin: true,
        xfwd: false,
        agent,
        followRedirects: false,
        // Our own handlers only: the default plugins log URLs and write error pages that echo the host.
        ejectPlugins: true,
        plugins: [
          (proxyServer) => {
            // Emitted once the vendor's agent gives the request a socket (it may have queued for one).
            proxyServer.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) => {
              const context = contexts.get(req);
              const exchange = context ? exchanges.get(context) : undefined;
              if (!context || !exchange) return;
              // Its deadline passed while it queued: the patron has the 504 already; the vendor gets nothing.
              if (exchange.abandoned) {
                proxyReq.destroy();
                return;
              }
              exchange.proxyReq = proxyReq;
              // Once the answer has begun, its body may not stall for timeoutMs.
              proxyReq.setTimeout(timeoutMs, () => {
                context.upstreamError ??= 'timeout';
                proxyReq.destroy(new Error('upstream timeout'));
              });
            });
            proxyServer.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
              const context = contexts.get(req);
              if (!context) return;
              const exchange = exchanges.get(context);
              if (exchange) clearTimeout(exchange.deadline);
              const cut = (): void => {
                if (!proxyRes.complete) {
                  context.upstreamError ??= 'reset';
                  res.destroy();
                }
              };
              proxyRes.on('aborted', cut);
              proxyRes.on('error', cut);
              proxyRes.on('close', cut);
              options.onResponse(context, proxyRes);
            });
            proxyServer.on('error', (error: NodeJS.ErrnoException, req?: IncomingMessage) => {
              const context = req ? contexts.get(req) : undefined;
              if (!context || exchanges.get(context)?.abandoned) return;
              const kind: UpstreamErrorKind = context.upstreamError ?? classifyError(error);
              context.upstreamError = kind;
              options.onError(context, new GatewayError(kind === 'timeout' ? 'upstream_timeout' : kind === 'bad_status' ? 'upstream_bad_response' : 'upstream_unreachable', { detail: `${contract.id} ${kind}` }));
            });
          },
        ],
      }),
    );
  }
  return {
    name: 'forward',
    run(context) {
      const contract = context.contract;
      const proxy = contract ? proxies.get(contract.id) : undefined;
      if (!contract || !proxy) throw new GatewayError('internal', { detail: 'no proxy for vendor' });
      const forwarded = createForwardedRequest(context);
      contexts.set(forwarded, context);
      // The vendor's status line and headers must all arrive within timeoutMs of handing the request
      // on, time queued for one of the vendor's upstreamSocketsPerVendor sockets included (a vendor
      // trickling its headers a byte at a time never goes idle, so an idle timer alone would wait for ever).
      const timeoutMs = contract.upstream?.timeoutMs ?? 30_000;
      const exchange: Exchange = {
        abandoned: false,
        deadline: setTimeout(() => {
          context.upstreamError ??= 'timeout';
          if (exchange.proxyReq) exchange.proxyReq.destroy(new Error('upstream timeout'));
          else {
            exchange.abandoned = true;
            options.onError(context, new GatewayError('upstream_timeout', { detail: `${contract.id} timeout` }));
          }
        }, timeoutMs),
      };
      exchanges.set(context, exchange);
      context.res.once('close', () => clearTimeout(exchange.deadline));
      context.outcome = 'proxied';
      // The exchange goes on by itself; its end and failures arrive through the hooks above.
      void proxy(forwarded as unknown as IncomingMessage, context.res, (error?: unknown) => {
        if (error) options.onError(context, new GatewayError('internal', { cause: error }));
      });
      return 'handled';
    },
    close() {
      for (const agent of agents) agent.destroy();
    },
  };
}

function classifyError(error: NodeJS.ErrnoException): UpstreamErrorKind {
  switch (error.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'refused';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'timeout';
    case 'HPE_HEADER_OVERFLOW':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return 'bad_status';
    default:
      return 'reset';
  }
}
