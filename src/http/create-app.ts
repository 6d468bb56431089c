import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Registry } from 'prom-client';
import type { CompiledContract } from '../contracts/compiled-contract.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { renderJwks, type AssertionKey } from '../keys/assertion-keys.ts';
import type { Logger } from '../log/create-logger.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../metering/gateway-metrics.ts';
import { renderHomePage } from '../pages/home-page.ts';
import { renderLoginPage } from '../pages/login-page.ts';
import type { PatronSource } from '../patrons/patron-source.ts';
import { createPseudonymKeys } from '../policy/pseudonyms/pseudonym-keys.ts';
import { createAssertionSigner } from '../proxy/deliver-identity/assertion-signer.ts';
import type { NoticeGate } from '../proxy/gate/gate-stage.ts';
import { createProxyPipeline, type ProxyPipeline } from '../proxy/index.ts';
import { readCookie, serializeCookie, SESSION_COOKIE } from '../sessions/cookies.ts';
import { createCsrfTokens } from '../sessions/csrf.ts';
import { createLoginRateLimiter } from '../sessions/login-rate-limiter.ts';
import { resolveSafeNext } from '../sessions/safe-next.ts';
import { createSessionTokens } from '../sessions/session-token.ts';
import type { Settings } from '../settings/load-settings.ts';
import type { KeyMaterial } from '../settings/resolve-keys.ts';
import { sendError, toGatewayError } from './send-error.ts';

export interface AppDeps {
  readonly settings: Settings;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly patrons: PatronSource;
  readonly keys: KeyMaterial;
  readonly assertionKeys: ReadonlyArray<AssertionKey>;
  /** The metrics registry (never prom-client's global one). */
  readonly registry: Registry;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly version?: string;
  readonly noticeGate?: NoticeGate;
  /** Login attempts per client per minute. */
  readonly loginAttemptsPerMinute?: number;
}

export interface App {
  /** The node:http request listener: /v/ goes to the proxy pipeline, everything else to the pages. */
  readonly handler: RequestListener;
  readonly pipeline: ProxyPipeline;
  readonly metrics: GatewayMetrics;
  close(): void;
}

/**
 * Builds the gateway from its parts. Nothing here reads the environment, the disk or the clock
 * directly: main.ts (or a test) passes everything in. The hot path (/v/) is plain node:http and
 * never enters express.
 */
export function createApp(deps: AppDeps): App {
  const { settings } = deps;
  const publicUrl = new URL(settings.publicUrl);
  const secure = publicUrl.protocol === 'https:';
  const metrics = createGatewayMetrics(deps.registry, { version: deps.version ?? '0.0.0' });
  const sessions = createSessionTokens({ key: deps.keys.sessionKey, ttlSeconds: settings.limits.sessionTtlSeconds });
  const csrf = createCsrfTokens({ key: deps.keys.sessionKey, secure });
  const pseudonyms = createPseudonymKeys({ masterSecret: deps.keys.pseudonymSecret, epoch: deps.keys.pseudonymEpoch });
  const signer = createAssertionSigner({ issuer: settings.publicUrl, keys: deps.assertionKeys });
  const limiter = createLoginRateLimiter({ attempts: deps.loginAttemptsPerMinute ?? 10, windowSeconds: 60 });
  const pipeline = createProxyPipeline({
    contracts: deps.contracts,
    patrons: deps.patrons,
    sessions,
    pseudonyms,
    signer,
    metrics,
    logger: deps.logger,
    clock: deps.clock,
    bodyLimit: settings.limits.bodyBytes,
    patronCache: { max: settings.limits.patronCacheSize, ttlSeconds: settings.limits.patronCacheTtlSeconds },
    secureCookies: secure,
    ...(deps.noticeGate ? { noticeGate: deps.noticeGate } : {}),
  });
  const problems = pipeline.validate();
  if (problems.length > 0) throw new Error(`the proxy cannot start: ${problems.join('; ')}`);
  const contractList = [...deps.contracts.values()];

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], styleSrc: ["'unsafe-inline'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"] } },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: secure,
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const isSignedIn = async (req: Request): Promise<boolean> => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    return token !== undefined && (await sessions.open(token, deps.clock())) !== undefined;
  };

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.contracts.size > 0 && deps.assertionKeys.length > 0;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', vendors: deps.contracts.size });
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(renderJwks(deps.assertionKeys));
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.registry.contentType);
    res.send(await deps.registry.metrics());
  });
  app.get('/', async (req, res) => {
    res.type('html').send(renderHomePage({ contracts: contractList, signedIn: await isSignedIn(req), csrf: csrf.issue(req, res) }));
  });
  app.get('/login', (req, res) => {
    const next = resolveSafeNext(req.query['next'], publicUrl.origin);
    res.type('html').send(renderLoginPage({ next, csrf: csrf.issue(req, res), demoHint: settings.demo }));
  });
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  app.post('/login', form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!csrf.verify(req, body['csrf'])) throw new GatewayError('csrf_failed');
    const wait = limiter.hit(req.socket.remoteAddress ?? 'unknown', deps.clock());
    if (wait !== undefined) {
      res.setHeader('Retry-After', String(wait));
      throw new GatewayError('rate_limited');
    }
    const next = resolveSafeNext(body['next'], publicUrl.origin);
    const barcode = typeof body['barcode'] === 'string' ? body['barcode'].slice(0, 64) : '';
    const pin = typeof body['pin'] === 'string' ? body['pin'].slice(0, 128) : '';
    const patron = await deps.patrons.authenticate(barcode, pin);
    if (!patron) {
      deps.logger.info('login failed', { code: 'login_failed' });
      res.status(401).type('html').send(renderLoginPage({ next, csrf: csrf.issue(req, res), failed: true, demoHint: settings.demo }));
      return;
    }
    const { token } = await sessions.seal(patron.patronId, deps.clock());
    res.setHeader('Set-Cookie', serializeCookie(SESSION_COOKIE, token, { maxAge: settings.limits.sessionTtlSeconds, secure }));
    deps.logger.info('login', { code: 'login_ok' });
    res.redirect(303, next);
  });
  app.post('/logout', form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!csrf.verify(req, body['csrf'])) throw new GatewayError('csrf_failed');
    res.setHeader('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { maxAge: 0, secure }));
    res.redirect(303, '/');
  });
  app.use((_req: Request, _res: Response) => {
    throw new GatewayError('not_found');
  });
  app.use((error: unknown, req: Request, res: Response, _next: unknown) => {
    let gatewayError = toGatewayError(error);
    const status = (error as { status?: number; type?: string })?.status;
    if (!(error instanceof GatewayError) && status === 413) gatewayError = new GatewayError('body_too_large');
    else if (!(error instanceof GatewayError) && status !== undefined && status >= 400 && status < 500) gatewayError = new GatewayError('bad_request');
    if (gatewayError.code === 'internal') deps.logger.error('page error', { code: 'internal' });
    sendError(req, res, gatewayError);
  });

  const handler: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (pipeline.handle(req, res)) return;
    app(req as Request, res as Response);
  };
  return { handler, pipeline, metrics, close: () => pipeline.close() };
}
