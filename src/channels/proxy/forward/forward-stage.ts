import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { UpstreamErrorKind } from '../../../metering/gateway-metrics.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';

export interface ForwardOptions {
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  /** Looks up the context of a request in flight. */
  readonly contextOf: (req: IncomingMessage) => ProxyContext | undefined;
  /** Called when the vendor's response headers arrive (runs the pipeline's respond hooks). */
  readonly onResponse: (context: ProxyContext, upstream: IncomingMessage) => void;
  /** Called when the exchange fails before a response could be sent. */
  readonly onError: (context: ProxyContext, error: GatewayError) => void;
  /** Largest response header block accepted from a vendor. */
  readonly maxHeaderSize?: number;
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
  for (const contract of options.contracts.values()) {
    const upstream = contract.upstream;
    if (!upstream || contract.kind === 'grant') continue;
    const https = new URL(upstream.url).protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: 256 };
    const agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    agents.push(agent);
    const timeoutMs = upstream.timeoutMs;
    proxies.set(
      contract.id,
      createProxyMiddleware<IncomingMessage, ServerResponse>({
        target: upstream.url,
        changeOrigin: true,
        xfwd: false,
        agent,
        followRedirects: false,
        // Our own handlers only: the default plugins log URLs and write error pages that echo the host.
        ejectPlugins: true,
        plugins: [
          (proxyServer) => {
            proxyServer.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) => {
              const context = options.contextOf(req);
              if (!context) return;
              proxyReq.setTimeout(timeoutMs, () => {
                context.upstreamError ??= 'timeout';
                proxyReq.destroy(new Error('upstream timeout'));
              });
              if (context.body !== undefined) proxyReq.write(context.body);
            });
            proxyServer.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
              const context = options.contextOf(req);
              if (!context) return;
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
              const context = req ? options.contextOf(req) : undefined;
              if (!context) return;
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
    async run(context) {
      const contract = context.contract;
      const proxy = contract ? proxies.get(contract.id) : undefined;
      if (!contract || !proxy) throw new GatewayError('internal', { detail: 'no proxy for vendor' });
      const req = context.req;
      req.url = context.query === '' ? context.upstreamPath : `${context.upstreamPath}?${context.query}`;
      // http-proxy copies req.headers: replace them with the scrubbed set.
      req.headers = context.headers as IncomingMessage['headers'];
      context.outcome = 'proxied';
      await proxy(req, context.res, (error?: unknown) => {
        if (error) options.onError(context, new GatewayError('internal', { cause: error }));
      });
      return 'handled' as const;
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
