import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import type { CompiledContract } from './contracts/compiled-contract.ts';
import { GatewayError, toGatewayError } from './errors/gateway-error.ts';
import type { AssertionKey } from './settings/assertion-keys.ts';
import type { Logger } from './log/create-logger.ts';
import { createRequestIds, type RequestIds } from './log/request-ids.ts';
import type { Tracing } from './log/tracing.ts';
import { createOtlpTracing } from './log/otlp-tracing.ts';
import { createGatewayMetrics, type GatewayMetrics } from './metering/gateway-metrics.ts';
import { createAcknowledgementStore } from './notices/acknowledgements.ts';
import { createNoticeGate } from './notices/notice-gate.ts';
import { createNoticeRoutes } from './web/notices/notice-routes.ts';
import { createStaffRoutes } from './web/staff/staff-routes.ts';
import { createStaffCheck } from './web/staff/require-staff.ts';
import { createPrometheusHistory, createSinceStartHistory } from './metering/traffic-history.ts';
import { createStaffReportRoutes } from './channels/reports/console/staff-report-routes.ts';
import { createReportDownloads } from './channels/reports/console/report-downloads.ts';
import { createWorkerReportRunner } from './channels/reports/console/run-report-in-worker.ts';
import { createReportSlots } from './channels/reports/console/report-slots.ts';
import type { PatronSource } from './patrons/patron-source.ts';
import { createPseudonymKeys } from './policy/pseudonyms/pseudonym-keys.ts';
import { createPatronTagger } from './policy/pseudonyms/patron-tag.ts';
import { createAssertionSigner } from './channels/proxy/deliver-identity/assertion-signer.ts';
import { createProxyPipeline, type ProxyPipeline } from './channels/proxy/index.ts';
import { createBrowseChannel, type BrowseChannel } from './channels/browse/index.ts';
import { createRememberedMinimizer } from './minimize/remember-results.ts';
import { createClientAddressReader } from './sessions/client-address.ts';
import { createCsrfTokens } from './sessions/csrf.ts';
import { createPatronResolver } from './sessions/resolve-patron.ts';
import { createSessionTokens } from './sessions/session-token.ts';
import { createMemorySharedState, type SharedState } from './state/shared-state.ts';
import { registerSharedStateGauge } from './metering/shared-state-gauge.ts';
import { gatewayCookieName, SESSION_COOKIE, STAFF_SESSION_COOKIE } from './lib/cookies.ts';
import type { Settings } from './settings/load-settings.ts';
import type { KeyMaterial } from './settings/resolve-keys.ts';
import { createPatronRoutes } from './web/login/patron-routes.ts';
import { createSsoRoutes } from './web/login/sso-routes.ts';
import type { SsoSetup } from './patrons/oidc/load-sso-clients.ts';
import { createSsoPatronIds } from './patrons/oidc/sso-patron-id.ts';
import { createSignInFlows } from './sessions/sign-in-flow.ts';
import { createServiceRoutes } from './web/service/service-routes.ts';
import { createLeavingRoutes } from './web/leaving/leaving-routes.ts';
import { sendError } from './web/errors/send-error.ts';
import { chooseLanguage } from './web/messages/choose-language.ts';
import type { Server } from 'node:net';
import type { Sip2MediatorSetup } from './settings/resolve-sip2-mediator.ts';
import { startSip2Channel } from './channels/sip2/start-sip2-channel.ts';
import { createSamlRoutes } from './channels/federation/saml/saml-routes.ts';
import type { ServiceProvider } from './channels/federation/saml/service-provider.ts';
import type { SamlIdpSetup } from './settings/resolve-saml-idp.ts';
import { createOidcChannel } from './channels/federation/oidc/index.ts';
import { createFederatedReleaseResolver } from './channels/federation/resolve-federated-release.ts';
import type { OidcClientSetup } from './settings/resolve-oidc-clients.ts';
import type { BrandImages } from './settings/read-branding-files.ts';
import { createPageBrand } from './web/branding/page-brand.ts';
import { createBrandRoutes } from './web/branding/brand-routes.ts';

/**
 * The booted parts the gateway runs on (boot()'s `booted`, matched by shape: app.ts imports
 * nothing above it).
 */
export interface AppParts {
  readonly settings: Settings;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly patrons: { readonly source: PatronSource };
  readonly keys: KeyMaterial;
  readonly assertionKeys: ReadonlyArray<AssertionKey>;
  /** The SIP2 mediator's setup, when the settings start one. */
  readonly sip2Mediator?: Sip2MediatorSetup;
  /** The library's single sign-on clients (patrons.source: oidc, admin.sso), when configured. */
  readonly sso?: SsoSetup;
  /** The SAML identity provider and its SPs, when the settings configure one. */
  readonly saml?: { readonly idp: SamlIdpSetup; readonly providers: ReadonlyMap<string, ServiceProvider> };
  /** The oidc contracts' clients, their secrets read: the OpenID Connect provider runs when there is one. */
  readonly oidcClients?: ReadonlyArray<OidcClientSetup>;
  /** The branding logo and favicon boot() read (none when absent). */
  readonly brandImages?: BrandImages;
}

/** What the process (or a test) gives the gateway besides its configuration. */
export interface AppRuntime {
  /** The metrics registry (never prom-client's global one). */
  readonly registry: Registry;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly version?: string;
  /**
   * Failed sign-ins allowed per client per minute and per card per 15 minutes (default: the
   * settings' limits.loginAttemptsPerMinute and limits.loginFailuresPerCard).
   */
  readonly loginAttemptsPerMinute?: number;
  /**
   * The sign-in throttles, revoked sessions and single-use tickets (default: this node's memory;
   * Redis when nodes share it: main.ts opens it from state.redis).
   */
  readonly state?: SharedState;
  /** Request ids (X-Request-Id); default: made from settings.trustProxy. main.ts passes the one its logger lines use. */
  readonly requestIds?: RequestIds;
  /** Traces (default: OTLP/HTTP to settings.observability.otlp.url when set, else none). */
  readonly tracing?: Tracing;
}

export interface App {
  /** The node:http request listener: /v/ goes to the proxy pipeline, everything else to the pages. */
  readonly handler: RequestListener;
  readonly pipeline: ProxyPipeline;
  /** Browse mode, when the settings name a proxy domain. */
  readonly browse?: BrowseChannel;
  readonly metrics: GatewayMetrics;
  /** The SIP2 mediator's server (not listening yet: main.ts listens on sip2Mediator.host and port), when configured. */
  readonly sip2?: { readonly server: Server; readonly host: string; readonly port: number };
  /** SIGTERM: /readyz answers 503 from now on and every response closes its connection (the load balancer drains the node). */
  startStopping(): void;
  /** Sends the finished spans now (when tracing is on). */
  flushTraces(): Promise<void>;
  close(): void;
}

/**
 * Builds the gateway from its booted parts. Nothing here reads the environment, the disk or the
 * clock directly: main.ts (or a test) passes everything in. The hot path (/v/) is plain node:http and
 * never enters express.
 */
export function createApp(booted: AppParts, runtime: AppRuntime): App {
  const deps = { ...booted, patrons: booted.patrons.source, ...runtime };
  const { settings } = deps;
  const publicUrl = new URL(settings.publicUrl);
  const secure = publicUrl.protocol === 'https:';
  const metrics = createGatewayMetrics(deps.registry, { version: deps.version ?? '0.0.0' }, deps.contracts.values());
  const state = deps.state ?? createMemorySharedState();
  const revocations = state.revocations;
  registerSharedStateGauge(deps.registry, state);
  const sessions = createSessionTokens({ key: deps.keys.sessionKey, previousKeys: deps.keys.previousSessionKeys, ttlSeconds: settings.limits.sessionTtlSeconds, revocations });
  const resolver = createPatronResolver({ sessions, patrons: deps.patrons, revocations, max: settings.limits.patronCacheSize, ttlSeconds: settings.limits.patronCacheTtlSeconds, cookieName: gatewayCookieName(SESSION_COOKIE, secure) });
  // Staff sessions from the library's single sign-on (admin.sso): sealed apart (their own issuer), so one never opens as a patron session.
  const staffSessions = createSessionTokens({ key: deps.keys.sessionKey, previousKeys: deps.keys.previousSessionKeys, ttlSeconds: settings.limits.sessionTtlSeconds, revocations, issuer: 'patron-privacy-gateway/staff-session' });
  const sso = booted.sso ?? {};
  const pseudonyms = createPseudonymKeys({ masterSecret: deps.keys.pseudonymSecret, epoch: deps.keys.pseudonymEpoch });
  // Notice choices last 400 days: keyed from the pseudonym secret, which session-key rotations leave alone
  // (cookies sealed under the session keys, as before, are still read).
  const acknowledgements = createAcknowledgementStore({ key: deps.keys.pseudonymSecret, acceptKeys: [deps.keys.sessionKey, ...deps.keys.previousSessionKeys], secure });
  const csrf = createCsrfTokens({ key: deps.keys.sessionKey, previousKeys: deps.keys.previousSessionKeys, secure });
  const limiter = state.createLimiter('sign-in', {
    key: deps.keys.sessionKey,
    clientFailures: deps.loginAttemptsPerMinute ?? settings.limits.loginAttemptsPerMinute,
    clientWindowSeconds: 60,
    cardFailures: deps.loginAttemptsPerMinute ?? settings.limits.loginFailuresPerCard,
    cardWindowSeconds: 15 * 60,
  });
  const clientAddress = createClientAddressReader(settings.trustProxy);
  const requestIds = deps.requestIds ?? createRequestIds({ trustProxy: settings.trustProxy });
  const requestIdOf = requestIds.of;
  let stopping = false;
  const otlp = settings.observability.otlp;
  const tracing = deps.tracing ?? (otlp ? createOtlpTracing({ url: otlp.url, version: deps.version ?? '0.0.0' }) : undefined);
  const { contracts, patrons, logger, clock } = deps;
  const origin = publicUrl.origin;
  const brand = createPageBrand(settings, booted.brandImages ?? {});
  // The proxy serves the HTTP vendors; sip2 vendors reach the SIP2 mediator, saml vendors the SAML IdP and oidc vendors the OpenID Connect provider, never /v/.
  const httpContracts = new Map([...deps.contracts].filter(([, contract]) => contract.identity.delivery !== 'sip2' && contract.identity.delivery !== 'saml' && contract.identity.delivery !== 'oidc'));
  // One remembered minimizer and one notice gate for every channel: a notice can never disagree with what is sent.
  const minimizer = createRememberedMinimizer({ pseudonyms, max: settings.limits.patronCacheSize * 4 });
  const signer = createAssertionSigner({ issuer: settings.publicUrl, keys: deps.assertionKeys });
  const noticeGate = createNoticeGate({ store: acknowledgements });
  const patronTagger = createPatronTagger(deps.keys.pseudonymSecret);
  const pipeline = createProxyPipeline({
    contracts: httpContracts,
    resolver,
    minimizer,
    signer,
    metrics,
    logger: deps.logger,
    clock: deps.clock,
    bodyLimit: settings.limits.bodyBytes,
    upstreamSocketsPerVendor: settings.limits.upstreamSocketsPerVendor,
    secureCookies: secure,
    publicOrigin: publicUrl.origin,
    noticeGate,
    // Vendor cookies are bound to the patron by a keyed tag. They outlive sessions, so its key is derived
    // from the pseudonym secret, which session-key rotations leave alone.
    patronTagger,
    requestIdOf,
    brand,
    ...(tracing ? { tracing } : {}),
  });
  // OpenID Connect and SAML vendors pass the same gate: sign-in, minors rules, the notice.
  const resolveRelease = createFederatedReleaseResolver({ resolver, noticeGate, minimizer });
  // The OpenID Connect provider at {publicUrl}/oidc, when a contract registers a client: the same minimizer, notices and sessions.
  const oidcClients = booted.oidcClients ?? [];
  const oidc =
    oidcClients.length === 0
      ? undefined
      : createOidcChannel({
          publicUrl,
          contracts: deps.contracts,
          clients: oidcClients,
          assertionKeys: deps.assertionKeys,
          sessionKey: deps.keys.sessionKey,
          resolveRelease,
          metrics,
          logger: deps.logger,
          clock: deps.clock,
          max: settings.limits.patronCacheSize,
        });
  const problems = pipeline.validate();
  if (problems.length > 0) throw new Error(`the proxy cannot start: ${problems.join('; ')}`);
  // Browse mode: every request whose Host is under the proxy domain, and /browse/{vendor} on the gateway's own host.
  const browse = settings.browse
    ? createBrowseChannel({
        contracts: httpContracts,
        proxyDomain: settings.browse.proxyDomain,
        ticketTtlSeconds: settings.browse.ticketTtlSeconds,
        secure,
        publicOrigin: origin,
        sessionKey: deps.keys.sessionKey,
        previousSessionKeys: deps.keys.previousSessionKeys,
        resolver,
        minimizer,
        noticeGate,
        signer,
        metrics,
        logger: deps.logger,
        clock: deps.clock,
        tickets: state.tickets,
        patronTagger,
        bodyLimit: settings.limits.bodyBytes,
        upstreamSocketsPerVendor: settings.limits.upstreamSocketsPerVendor,
        requestIdOf,
      })
    : undefined;
  const browseProblems = browse?.problems() ?? [];
  if (browseProblems.length > 0) throw new Error(`browse mode cannot start: ${browseProblems.join('; ')}`);

  // A form on the gateway's pages (sign-in, the notice) can end, through redirects, at an OpenID
  // Connect vendor's redirect URI: browsers hold form-action to the whole redirect chain, so those
  // origins (the contracts' registered ones, nothing else) are allowed as form targets.
  const federationOrigins = [...new Set(oidcClients.flatMap((client) => deps.contracts.get(client.vendorId)?.identity.oidc?.redirectUris ?? []).map((uri) => new URL(uri).origin))];
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    helmet({
      // The gateway's pages have no scripts at all: only helmet's defaults named here apply.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], scriptSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], imgSrc: ["'self'", 'data:'], objectSrc: ["'none'"], formAction: ["'self'", ...federationOrigins], frameAncestors: ["'none'"], baseUri: ["'none'"], ...(secure ? { upgradeInsecureRequests: [] } : {}) },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: secure,
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(createServiceRoutes({ registry: deps.registry, state, assertionKeys: deps.assertionKeys, vendorCount: deps.contracts.size, stopping: () => stopping, ...(deps.keys.metricsToken ? { metricsToken: deps.keys.metricsToken } : {}) }));
  // Each router is handed only what it uses.
  app.use(createBrandRoutes(booted.brandImages ?? {}));
  app.use(createPatronRoutes({ settings, contracts, patrons, sessions, staffSessions, sso, resolver, csrf, limiter, clientAddress, logger, requestIdOf, clock, secure, origin, brand }));
  if (sso.patrons !== undefined || sso.staff !== undefined) {
    app.use(
      createSsoRoutes({
        settings,
        sessions,
        staffSessions,
        sso,
        resolver,
        logger,
        requestIdOf,
        clock,
        secure,
        origin,
        // Ten minutes from the redirect to the provider to the browser's return.
        flows: createSignInFlows({ key: deps.keys.sessionKey, tickets: state.tickets, secure, ttlSeconds: 600 }),
        patronIdOf: createSsoPatronIds(deps.keys.pseudonymSecret),
        claims: settings.patrons.oidc?.claims ?? {},
      }),
    );
  }
  app.use(createLeavingRoutes(brand));
  if (booted.saml) {
    app.use(createSamlRoutes({ idp: booted.saml.idp, providers: booted.saml.providers, contracts, resolveRelease, metrics, logger, clock, sessionKey: deps.keys.sessionKey, sessionTtlSeconds: settings.limits.sessionTtlSeconds, requestIdOf }));
  }
  if (oidc) app.use(oidc.routes);
  app.use(createNoticeRoutes({ contracts, resolver, csrf, pseudonyms, acknowledgements, metrics, clock, secure, origin, brand }));
  const requireStaff = createStaffCheck({
    resolver,
    staffPatronTypes: settings.admin.staffPatronTypes,
    clock: deps.clock,
    ...(deps.keys.staffToken ? { staffToken: deps.keys.staffToken } : {}),
    ...(sso.staff ? { staffSessions: { tokens: staffSessions, cookieName: gatewayCookieName(STAFF_SESSION_COOKIE, secure) } } : {}),
  });
  const prometheus = settings.admin.prometheus;
  const history = prometheus
    ? createPrometheusHistory({ url: prometheus.url, timeoutMs: prometheus.timeoutMs, registry: deps.registry, ...(prometheus.selector ? { selector: prometheus.selector } : {}), onFailure: (kind) => logger.warn('the staff console could not read Prometheus', { kind }) })
    : createSinceStartHistory(deps.registry);
  app.use(createStaffRoutes({ settings, contracts, patrons, csrf, pseudonyms, metrics, clock, requireStaff, history, ...(browse ? { blockedHosts: (vendorId: string) => browse.blockedHosts(vendorId) } : {}) }));
  app.use(
    createStaffReportRoutes({
      contracts,
      csrf,
      clock,
      requireStaff,
      logger,
      runReport: createWorkerReportRunner(
        { masterSecret: deps.keys.pseudonymSecret, epoch: deps.keys.pseudonymEpoch },
        { timeoutMs: settings.reports.timeoutSeconds * 1000, maxMemoryMb: settings.reports.maxMemoryMb },
      ),
      slots: createReportSlots(settings.reports.maxConcurrent),
      downloads: createReportDownloads({ clock }),
      ledgerDir: settings.reports.ledgerDir,
    }),
  );
  app.use((_req: Request, _res: Response) => {
    throw new GatewayError('not_found');
  });
  app.use((error: unknown, req: Request, res: Response, _next: unknown) => {
    let gatewayError = toGatewayError(error);
    const status = (error as { status?: number })?.status;
    if (!(error instanceof GatewayError) && status === 413) gatewayError = new GatewayError('body_too_large');
    else if (!(error instanceof GatewayError) && status !== undefined && status >= 400 && status < 500) gatewayError = new GatewayError('bad_request');
    if (gatewayError.code === 'internal') deps.logger.error('page error', { code: 'internal', requestId: requestIdOf(req) });
    sendError(req, res, chooseLanguage(req), gatewayError, undefined, brand);
  });

  const handler: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    requestIds.assign(req, res);
    if (stopping) res.setHeader('Connection', 'close');
    // By Host first: a vendor origin never reaches /v/ or the gateway's pages.
    if (browse?.handle(req, res)) return;
    if (pipeline.handle(req, res)) return;
    if (oidc?.handle(req, res)) return;
    app(req as Request, res as Response);
  };
  const sip2 =
    booted.sip2Mediator === undefined
      ? undefined
      : startSip2Channel(booted.sip2Mediator, {
          contracts: deps.contracts,
          pseudonyms,
          metrics,
          logger,
          clock,
          sessionKey: deps.keys.sessionKey,
          createLimiter: state.createLimiter,
          loginAttemptsPerMinute: deps.loginAttemptsPerMinute ?? settings.limits.loginAttemptsPerMinute,
          loginFailuresPerCard: deps.loginAttemptsPerMinute ?? settings.limits.loginFailuresPerCard,
        });
  return {
    handler,
    pipeline,
    ...(browse ? { browse } : {}),
    metrics,
    ...(sip2 ? { sip2: { server: sip2.server, host: sip2.host, port: sip2.port } } : {}),
    startStopping: () => {
      stopping = true;
    },
    flushTraces: async () => tracing?.flush(),
    close: () => {
      void tracing?.close();
      pipeline.close();
      browse?.close();
      sip2?.close();
    },
  };
}
