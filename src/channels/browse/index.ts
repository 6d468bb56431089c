import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { GatewayError, toGatewayError } from '../../errors/gateway-error.ts';
import { gatewayCookieName, readCookie, serializeCookie } from '../../lib/cookies.ts';
import type { Logger } from '../../log/create-logger.ts';
import type { GatewayMetrics } from '../../metering/gateway-metrics.ts';
import type { RememberedMinimizer } from '../../minimize/remember-results.ts';
import type { NoticeDecision, NoticeGate } from '../../notices/notice-gate.ts';
import type { PatronTagger } from '../../policy/pseudonyms/patron-tag.ts';
import type { PatronResolver } from '../../sessions/resolve-patron.ts';
import type { SingleUseTickets } from '../../sessions/single-use-tickets.ts';
import { sendError } from '../../web/errors/send-error.ts';
import { chooseLanguage } from '../../web/messages/choose-language.ts';
import type { AssertionSigner } from '../proxy/deliver-identity/assertion-signer.ts';
import { createDeliverIdentityStage } from '../proxy/deliver-identity/deliver-identity-stage.ts';
import { createGateStage } from '../proxy/gate/gate-stage.ts';
import { createIdentifyStage } from '../proxy/identify/identify-stage.ts';
import { createMatchContractStage } from '../proxy/match-contract/match-contract-stage.ts';
import { parseVendorPath } from '../proxy/parse-vendor-path.ts';
import type { ProxyContext } from '../proxy/proxy-context.ts';
import { createRecordStage } from '../proxy/record/record-stage.ts';
import { createScrubRequestStage } from '../proxy/scrub-request/scrub-request-stage.ts';
import { createVendorCookieReader } from '../proxy/scrub-request/vendor-cookies.ts';
import type { Stage } from '../proxy/stage.ts';
import type { BrowseContext } from './browse-context.ts';
import { createCollectionBlock } from './collection-block.ts';
import { createBrowseResponseFilter } from './filter-browse-response.ts';
import { createForbiddenAddressCheck } from './forbidden-addresses.ts';
import { createForwardUpstream } from './forward-upstream.ts';
import { createHandOffTickets, type HandOff } from './hand-off-tickets.ts';
import { LRUCache } from 'lru-cache';
import { classifyHost, type HostKind } from './host-kinds.ts';
import { createOriginCookies, ORIGIN_COOKIE } from './origin-cookie.ts';
import { createProxiedOrigins, type BrowseHost, type ProxiedOrigins } from './proxied-origins.ts';
import { createSealedBox } from './sealed-box.ts';

/** The reserved path on every vendor origin where a hand-off ticket is exchanged for the origin's cookie. */
export const ENTER_PATH = '/.gw/enter';

export interface BrowseDeps {
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly proxyDomain: string;
  readonly ticketTtlSeconds: number;
  readonly secure: boolean;
  readonly publicOrigin: string;
  /** The session key: the origin cookies and tickets are keyed from it (HKDF, one key per purpose). */
  readonly sessionKey: Uint8Array;
  /** Keys of a session key rotation in progress: origin cookies sealed under them still open (never tickets: they live seconds). */
  readonly previousSessionKeys?: ReadonlyArray<Uint8Array>;
  readonly resolver: PatronResolver;
  readonly minimizer: RememberedMinimizer;
  readonly noticeGate: NoticeGate;
  readonly signer: AssertionSigner;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly tickets: SingleUseTickets;
  readonly patronTagger: PatronTagger;
  readonly bodyLimit: number;
  readonly upstreamSocketsPerVendor: number;
  readonly requestIdOf?: (req: IncomingMessage) => string | undefined;
  /** Addresses never connected to without a pin (default: forbidden-addresses.ts). Tests of pinning pass the default too. */
  readonly isForbidden?: (address: string) => boolean;
}

export interface BrowseChannel {
  readonly origins: ProxiedOrigins;
  /** Handles /browse/{vendor} on the gateway's host and every request on the proxy domain; false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * The hosts kept from one vendor's pages lately, for the staff console to name (the metric counts
   * them by kind only): at most 50 per vendor, the least recent forgotten first; in memory, this node.
   */
  blockedHosts(vendorId: string): ReadonlyArray<{ readonly host: string; readonly kind: HostKind; readonly count: number }>;
  /** Problems that must stop startup. */
  problems(): string[];
  close(): void;
}

/**
 * Browse mode: vendor websites on origins of their own under the proxy domain (README, "Browse mode").
 *
 *   /browse/{vendor} (gateway)  identify -> match contract -> minors and notice gate -> hand-off tickets
 *   {label}.{proxyDomain}/.gw/enter?t=...  ticket -> the origin's own host-only cookie -> the next host or the page
 *   {label}.{proxyDomain}/...   origin cookie -> match contract -> gate -> collection block -> scrub request
 *                               -> deliver identity -> forward (pins, SSRF) -> filter response (CSP, rewriting) -> record
 *
 * The /v/ stages are reused as they are; only how the patron is found (the origin's cookie), where
 * the request goes (the origin's upstream host) and what comes back (a page, rewritten) differ.
 */
export function createBrowseChannel(deps: BrowseDeps): BrowseChannel {
  const browseContracts = new Map([...deps.contracts].filter(([, contract]) => contract.browse !== undefined && contract.identity.delivery !== 'sip2'));
  const origins = createProxiedOrigins({ proxyDomain: deps.proxyDomain, secure: deps.secure, publicOrigin: deps.publicOrigin, contracts: browseContracts.values() });
  const box = createSealedBox(deps.sessionKey, 'origin-cookie', deps.previousSessionKeys);
  const originCookies = createOriginCookies(box);
  const handOffs = createHandOffTickets({ secret: deps.sessionKey, box: createSealedBox(deps.sessionKey, 'ticket'), store: deps.tickets, ttlSeconds: deps.ticketTtlSeconds });
  const cookieName = gatewayCookieName(ORIGIN_COOKIE, deps.secure);
  const isForbidden = deps.isForbidden ?? createForbiddenAddressCheck();
  const upstream = createForwardUpstream({ contracts: browseContracts.values(), isForbidden, socketsPerVendor: deps.upstreamSocketsPerVendor });
  // Names for the staff console: bounded per vendor (the vendors are a fixed set).
  const blockedNames = new Map<string, LRUCache<string, number>>();
  const rememberBlocked = (vendorId: string, host: string): void => {
    let names = blockedNames.get(vendorId);
    if (!names) blockedNames.set(vendorId, (names = new LRUCache<string, number>({ max: 50 })));
    names.set(host, (names.get(host) ?? 0) + 1);
  };
  const countBlocked = (vendorId: string, host: string): void => {
    deps.metrics.countBlockedHost(vendorId, classifyHost(host));
    if (browseContracts.has(vendorId) && host.length <= 253) rememberBlocked(vendorId, host.toLowerCase());
  };
  const responses = createBrowseResponseFilter({ origins, contracts: browseContracts.values(), tagger: deps.patronTagger, secureCookies: deps.secure, onBlocked: countBlocked });
  const blocks = new Map([...browseContracts].map(([id, contract]) => [id, createCollectionBlock(contract.browse?.block ?? { paths: [], defaults: true })]));

  // The notice decision on a vendor origin comes from its cookie (the gateway's notice cookie is not sent there).
  const decisions = new WeakMap<IncomingMessage, { noticeVersion: string; consents: ReadonlyArray<string> }>();
  const originNoticeGate: NoticeGate = {
    decide(req, _patronId, contract): NoticeDecision {
      const carried = decisions.get(req);
      return carried && carried.noticeVersion === contract.noticeVersion ? { accepted: true, consents: carried.consents } : { accepted: false };
    },
  };

  // /browse/{vendor}: the /v/ stages that decide whether the patron may go at all.
  const startStages: Stage[] = [createIdentifyStage({ resolver: deps.resolver }), createMatchContractStage({ contracts: browseContracts }), createGateStage({ minimizer: deps.minimizer, publicOrigin: deps.publicOrigin, noticeGate: deps.noticeGate })];
  const originStages: Stage[] = [
    createMatchContractStage({ contracts: browseContracts }),
    createGateStage({ minimizer: deps.minimizer, publicOrigin: deps.publicOrigin, noticeGate: originNoticeGate }),
    {
      name: 'collection block',
      run(context) {
        const browse = context as BrowseContext;
        const block = blocks.get(browse.host.vendorId);
        const target = context.query === '' ? context.upstreamPath : `${context.upstreamPath}?${context.query}`;
        if (browse.host.blocked || block?.(target)) {
          // A collection endpoint on one of the vendor's own hosts: analytics, whatever the host's kind.
          deps.metrics.countBlockedHost(browse.host.vendorId, 'analytics');
          rememberBlocked(browse.host.vendorId, browse.host.upstreamHost);
          throw new GatewayError('tracking_blocked', { detail: browse.host.vendorId });
        }
      },
    },
    createScrubRequestStage({ bodyLimit: deps.bodyLimit, vendorCookies: createVendorCookieReader(deps.patronTagger), tagger: deps.patronTagger }),
    {
      name: 'origin',
      run(context) {
        // Origin goes back to the vendor's own host only when the request came from one of this vendor's origins.
        const browse = context as BrowseContext;
        const sent = context.req.headers.origin;
        delete context.headers['origin'];
        if (sent !== undefined) {
          const from = origins.route(hostOfOrigin(sent));
          if (from.kind === 'vendor' && from.host.vendorId === browse.host.vendorId) context.headers['origin'] = from.host.upstreamOrigin;
        }
      },
    },
    createDeliverIdentityStage({ signer: deps.signer }),
  ];
  const record = createRecordStage({ metrics: deps.metrics, logger: deps.logger, knownVendors: new Set(browseContracts.keys()) });

  async function runStages(stages: ReadonlyArray<Stage>, context: ProxyContext): Promise<void> {
    for (const stage of stages) {
      const result = stage.run?.(context);
      if (result instanceof Promise) await result;
    }
  }

  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown, context?: ProxyContext): void => {
    const gatewayError = toGatewayError(error);
    if (context) context.outcome = context.outcome === 'proxied' && gatewayError.outcome === 'internal_error' ? 'upstream_error' : gatewayError.outcome;
    if (gatewayError.code === 'internal') deps.logger.error('browse error', { vendor: context?.contract?.id, code: 'internal', requestId: deps.requestIdOf?.(req) });
    sendError(req, res, chooseLanguage(req, context?.patron?.language), gatewayError, context?.contract?.name);
  };

  const newContext = (req: IncomingMessage, res: ServerResponse, upstreamPath: string, query: string, vendorId: string): ProxyContext => {
    const requestId = deps.requestIdOf?.(req);
    return { req, res, ...(requestId !== undefined ? { requestId } : {}), now: deps.clock(), startedAt: process.hrtime.bigint(), upstreamPath, query, headers: {}, catches: [], gatewayNanos: 0n, vendorId };
  };

  /** GET /browse/{vendor}[?next=<a URL on one of the vendor's origins>]: sign-in, minors, notice, then the hand-off. */
  async function start(req: IncomingMessage, res: ServerResponse, vendorId: string, query: URLSearchParams): Promise<void> {
    const context = newContext(req, res, '/', '', vendorId);
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new GatewayError('bad_request');
      await runStages(startStages, context);
      const contract = context.contract as CompiledContract;
      const decision = await deps.noticeGate.decide(req, context.patron?.patronId ?? '', contract);
      const token = deps.resolver.readToken(req);
      if (!decision.accepted || token === undefined) throw new GatewayError('internal', { detail: 'gate passed without a decision' });
      // Where to land: the page asked for when it is on one of this vendor's origins, else the vendor's start page.
      const next = query.get('next');
      let landing: { host: BrowseHost; path: string } | undefined;
      if (next !== null) {
        const url = parseUrl(next);
        const route = url ? origins.route(url.host) : undefined;
        if (url && route?.kind === 'vendor' && route.host.vendorId === vendorId && url.origin === route.host.proxiedOrigin && !url.pathname.startsWith('//')) landing = { host: route.host, path: `${url.pathname}${url.search}` };
      }
      const first = origins.startOf(vendorId) as BrowseHost;
      landing ??= { host: first, path: `${new URL(contract.upstream?.url ?? '/', 'http://x').pathname}` };
      // One ticket per exact host, chained (each host sets its own cookie), the landing host last.
      const hosts = [...new Set([...origins.originsOf(vendorId).filter((o) => o !== landing.host.proxiedOrigin), landing.host.proxiedOrigin])];
      const handOff = (path: string): HandOff => ({ token, noticeVersion: contract.noticeVersion, consents: decision.consents, path });
      let location = '';
      for (let i = hosts.length - 1; i >= 0; i--) {
        const origin = hosts[i] as string;
        const ticket = await handOffs.issue(handOff(i === hosts.length - 1 ? landing.path : '/'), new URL(origin).host, context.now);
        location = `${origin}${ENTER_PATH}?t=${ticket}${location === '' ? '' : `&next=${encodeURIComponent(location)}`}`;
      }
      res.statusCode = 303;
      res.setHeader('Location', location);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.end();
    } catch (error) {
      fail(req, res, error, context);
    }
  }

  /** GET {origin}/.gw/enter?t=...[&next=...]: the ticket, once, on the host it is for -> this origin's cookie. */
  async function enter(req: IncomingMessage, res: ServerResponse, host: BrowseHost, query: URLSearchParams): Promise<void> {
    try {
      const proxiedHost = new URL(host.proxiedOrigin).host;
      const now = deps.clock();
      const handOff = await handOffs.redeem(query.get('t') ?? '', proxiedHost, now);
      const signedIn = handOff ? await deps.resolver.resolveToken(handOff.token, now) : undefined;
      if (!handOff || !signedIn) throw new GatewayError('browse_ticket_refused');
      const value = originCookies.seal({ token: handOff.token, noticeVersion: handOff.noticeVersion, consents: handOff.consents }, proxiedHost);
      const maxAge = Math.max(1, signedIn.session.exp - Math.floor(now.getTime() / 1000));
      // The next host of the chain (another origin of the same vendor, its enter path only), or the page.
      const next = parseUrl(query.get('next') ?? '');
      const nextRoute = next ? origins.route(next.host) : undefined;
      const location = next && nextRoute?.kind === 'vendor' && nextRoute.host.vendorId === host.vendorId && next.origin === nextRoute.host.proxiedOrigin && next.pathname === ENTER_PATH ? next.href : handOff.path.startsWith('/') && !handOff.path.startsWith('//') ? handOff.path : '/';
      res.statusCode = 303;
      res.setHeader('Set-Cookie', serializeCookie(cookieName, value, { secure: deps.secure, path: '/', maxAge }));
      res.setHeader('Location', location);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Referrer-Policy', 'no-referrer');
      res.end();
    } catch (error) {
      fail(req, res, error);
    }
  }

  /** Any other request on a vendor origin: the proxied page, image, script or API call. */
  async function proxy(req: IncomingMessage, res: ServerResponse, host: BrowseHost): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const base = newContext(req, res, q === -1 ? target : target.slice(0, q), q === -1 ? '' : target.slice(q + 1), host.vendorId);
    const context: BrowseContext = Object.assign(base, { host });
    let finished = false;
    res.once('close', () => {
      if (finished) return;
      finished = true;
      record.finish?.(context);
    });
    try {
      // The same target checks as /v/: no absolute-form targets, dot segments, backslashes or NULs.
      const checked = parseVendorPath(`/v/${host.vendorId}${context.upstreamPath}`);
      if (!target.startsWith('/') || checked === undefined || !checked.ok) throw new GatewayError('bad_request');
      const proxiedHost = new URL(host.proxiedOrigin).host;
      const value = readCookie(req, cookieName);
      const session = value === undefined ? undefined : originCookies.open(value, proxiedHost);
      const signedIn = session ? await deps.resolver.resolveToken(session.token, context.now) : undefined;
      if (!session || !signedIn) {
        throw new GatewayError('not_authenticated', { redirectTo: `${deps.publicOrigin}/browse/${host.vendorId}?next=${encodeURIComponent(`${host.proxiedOrigin}${target}`)}` });
      }
      context.session = signedIn.session;
      context.patron = signedIn.patron;
      context.guard = signedIn.guard;
      decisions.set(req, { noticeVersion: session.noticeVersion, consents: session.consents });
      try {
        await runStages(originStages, context);
      } catch (error) {
        // A notice to accept (a new version) is shown by the gateway, whose pages hold the notice cookie.
        const gatewayError = toGatewayError(error);
        if (gatewayError.code === 'notice_required') throw new GatewayError('notice_required', { detail: host.vendorId, redirectTo: `${deps.publicOrigin}/browse/${host.vendorId}?next=${encodeURIComponent(`${host.proxiedOrigin}${target}`)}` });
        throw gatewayError;
      }
      context.gatewayNanos = process.hrtime.bigint() - context.startedAt;
      upstream.forward(
        context,
        (answer) => {
          const started = process.hrtime.bigint();
          let rewriter;
          try {
            rewriter = responses.filter(context, answer);
          } catch (error) {
            answer.destroy();
            fail(req, res, error, context);
            return;
          }
          // A patron who goes away mid-body frees the vendor's socket too.
          res.once('close', () => {
            if (!answer.complete) answer.destroy();
          });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          context.gatewayNanos += process.hrtime.bigint() - started;
          if (rewriter) {
            rewriter.on('error', () => res.destroy());
            answer.pipe(rewriter).pipe(res);
          } else answer.pipe(res);
        },
        (error) => fail(req, res, error, context),
      );
    } catch (error) {
      if (context.gatewayNanos === 0n) context.gatewayNanos = process.hrtime.bigint() - context.startedAt;
      fail(req, res, error, context);
    }
  }

  /**
   * A CORS preflight between two origins of the same vendor (a page calling its API host): browsers
   * send it without cookies, so it could never pass identify. The gateway answers it itself, for
   * the vendor's own origins only, and never forwards it: the real request that follows carries its
   * cookie and goes through every stage.
   */
  function answerPreflight(req: IncomingMessage, res: ServerResponse, host: BrowseHost): void {
    const from = origins.route(hostOfOrigin(req.headers.origin ?? ''));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Vary', 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers');
    if (from.kind === 'vendor' && from.host.vendorId === host.vendorId && req.headers.origin === from.host.proxiedOrigin) {
      res.setHeader('Access-Control-Allow-Origin', from.host.proxiedOrigin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
      const asked = req.headers['access-control-request-headers'];
      if (typeof asked === 'string' && /^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$/.test(asked)) res.setHeader('Access-Control-Allow-Headers', asked);
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.statusCode = 204;
    res.end();
  }

  return {
    origins,
    blockedHosts(vendorId) {
      const names = blockedNames.get(vendorId);
      if (!names) return [];
      return [...names.entries()].map(([host, count]) => ({ host, kind: classifyHost(host), count })).sort((a, b) => b.count - a.count || a.host.localeCompare(b.host));
    },
    problems: () => [...origins.problems, ...[...browseContracts.values()].filter((c) => !c.upstream).map((c) => `${c.id}: a browse vendor needs an upstream`)],
    handle(req, res) {
      const route = origins.route(req.headers.host);
      if (route.kind === 'unknown') {
        // Never an open proxy: a host under the proxy domain that no contract names is a 404 page.
        sendError(req, res, chooseLanguage(req), new GatewayError('not_found'));
        return true;
      }
      const target = req.url ?? '/';
      if (route.kind === 'vendor') {
        const q = target.indexOf('?');
        const path = q === -1 ? target : target.slice(0, q);
        if (path === ENTER_PATH) void enter(req, res, route.host, new URLSearchParams(q === -1 ? '' : target.slice(q + 1)));
        else if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) answerPreflight(req, res, route.host);
        else void proxy(req, res, route.host);
        return true;
      }
      const match = /^\/browse\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?(?:\?(.*))?$/.exec(target);
      if (!match) return false;
      void start(req, res, match[1] as string, new URLSearchParams(match[2] ?? ''));
      return true;
    },
    close() {
      upstream.close();
    },
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function hostOfOrigin(origin: string): string | undefined {
  return parseUrl(origin)?.host;
}
