import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { hasBody } from '../proxy/scrub-request/body-kind.ts';
import type { BrowseContext } from './browse-context.ts';
import { createUpstreamLookup, REFUSED_ADDRESS } from './upstream-lookup.ts';

export interface ForwardUpstream {
  /** Sends the scrubbed request to the context's upstream host; `onResponse` gets its answer, `onError` a failure before it. */
  forward(context: BrowseContext, onResponse: (upstream: IncomingMessage) => void, onError: (error: GatewayError) => void): void;
  close(): void;
}

/**
 * The upstream request of browse mode: to the vendor host the request's origin stands for, never
 * anywhere the request names. It connects to the contract's pinned address for the host when there
 * is one (the Host header and TLS SNI still name the host), and otherwise to what DNS answers minus
 * every forbidden address (forbidden-addresses.ts): a vendor whose DNS points at the library's
 * network is refused, not reached. One keep-alive agent per vendor, bounded. Redirects are passed
 * back, never followed.
 */
export function createForwardUpstream(deps: { contracts: Iterable<CompiledContract>; isForbidden: (address: string) => boolean; socketsPerVendor: number }): ForwardUpstream {
  const lookups = new Map<string, ReturnType<typeof createUpstreamLookup>>();
  const pins = new Map<string, Readonly<Record<string, string>>>();
  const agents = new Map<string, { http: HttpAgent; https: HttpsAgent }>();
  for (const contract of deps.contracts) {
    if (!contract.browse || !contract.upstream) continue;
    const pin = contract.upstream.pin ?? {};
    pins.set(contract.id, pin);
    lookups.set(contract.id, createUpstreamLookup({ pins: pin, isForbidden: deps.isForbidden }));
    const options = { keepAlive: true, maxSockets: deps.socketsPerVendor, maxFreeSockets: Math.min(deps.socketsPerVendor, 256) };
    agents.set(contract.id, { http: new HttpAgent(options), https: new HttpsAgent(options) });
  }
  return {
    forward(context, onResponse, onError) {
      const contract = context.contract as CompiledContract;
      const lookup = lookups.get(contract.id);
      const agent = agents.get(contract.id);
      if (!lookup || !agent) throw new GatewayError('internal', { detail: 'no upstream for vendor' });
      const target = new URL(context.host.upstreamOrigin);
      const https = target.protocol === 'https:';
      const hostname = target.hostname.replace(/^\[|\]$/g, '');
      // A literal address is never looked up: checked here, unless the contract pins the host to it.
      if (isIP(hostname) !== 0 && (pins.get(contract.id) ?? {})[hostname] === undefined && deps.isForbidden(hostname)) {
        context.upstreamError = 'refused';
        throw new GatewayError('upstream_unreachable', { detail: `${contract.id} refused address` });
      }
      const timeoutMs = contract.upstream?.timeoutMs ?? 10_000;
      let settled = false;
      const fail = (error: GatewayError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        onError(error);
      };
      const path = context.query === '' ? context.upstreamPath : `${context.upstreamPath}?${context.query}`;
      const request = (https ? httpsRequest : httpRequest)({
        host: hostname,
        port: target.port === '' ? (https ? 443 : 80) : Number(target.port),
        method: context.req.method,
        path,
        headers: { ...context.headers, host: context.host.upstreamHost },
        lookup,
        agent: https ? agent.https : agent.http,
        ...(https && isIP(hostname) === 0 ? { servername: hostname } : {}),
      });
      const deadline = setTimeout(() => {
        context.upstreamError ??= 'timeout';
        request.destroy(new Error('upstream timeout'));
      }, timeoutMs);
      context.res.once('close', () => {
        clearTimeout(deadline);
        if (!settled) request.destroy();
      });
      request.on('response', (upstream) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        upstream.on('aborted', () => {
          context.upstreamError ??= 'reset';
          context.res.destroy();
        });
        onResponse(upstream);
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        const kind = context.upstreamError ?? (error.code === REFUSED_ADDRESS || error.code === 'ECONNREFUSED' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' ? 'refused' : 'reset');
        context.upstreamError = kind;
        if (settled) {
          context.res.destroy();
          return;
        }
        fail(new GatewayError(kind === 'timeout' ? 'upstream_timeout' : 'upstream_unreachable', { detail: `${contract.id} ${kind}` }));
      });
      context.outcome = 'proxied';
      if (context.body !== undefined) request.end(context.body);
      else if (hasBody(context.req.headers)) context.req.pipe(request);
      else request.end();
    },
    close() {
      for (const { http, https } of agents.values()) {
        http.destroy();
        https.destroy();
      }
    },
  };
}
