/**
 * The process: environment -> boot() -> createApp() -> listen; signals. The only place that reads
 * the process environment and listens on a port; boot() does all the loading.
 *
 *   PORT                   listening port (default 8080); HOST, the address (default all)
 *   GATEWAY_CONFIG         settings file (default config/gateway.yaml)
 *   GATEWAY_VENDORS_DIR    overrides the settings' vendorsDir
 *   GATEWAY_PATRONS_FILE   overrides the settings' patrons.file
 *   DEMO_ILS_PORT          demo mode: the demo ILS's loopback SIP2 port (default 6001, or the
 *                          port of patrons.sip2 when its host is loopback)
 *   NODE_ENV=production    refuses demo mode, demo keys, the demo vendor and the demo ILS
 */
import type { Server } from 'node:http';
import { createHttpServer } from './lib/create-http-server.ts';
import type { Server as NetServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { boot, formatBootMessages, type BootResult } from './boot.ts';
import { createDemoVendorServer } from './demo/demo-vendor.ts';
import { createDemoBrowseSite } from './demo/demo-browse-site.ts';
import { createDemoIlsServer } from './demo/demo-ils.ts';
import { createDemoSamlSp } from './demo/demo-saml-sp.ts';
import { createDemoRelyingParty } from './demo/demo-oidc-relying-party.ts';
import { createApp } from './app.ts';
import { createLogger } from './log/create-logger.ts';
import { openSharedState } from './state/open-shared-state.ts';

const env = process.env;
const production = env['NODE_ENV'] === 'production';
const logger = createLogger({ level: env['LOG_LEVEL'] ?? 'info' });

let result: BootResult;
try {
  result = await boot({
    settingsFile: env['GATEWAY_CONFIG'] ?? 'config/gateway.yaml',
    env,
    overrides: { vendorsDir: env['GATEWAY_VENDORS_DIR'], patronsFile: env['GATEWAY_PATRONS_FILE'] },
    production,
    clock: () => new Date(),
  });
} catch (error) {
  // A fault in the gateway itself, not in the configuration: still one line, never a stack trace.
  process.stderr.write(`error: the gateway could not load its configuration (${error instanceof Error ? error.message : String(error)})\n`);
  process.exit(1);
}
for (const line of formatBootMessages(result)) process.stderr.write(`${line}\n`);
if (!result.ok) {
  process.stderr.write(`The gateway did not start: ${result.problems.length} problem(s). Run "npm run check" after fixing them.\n`);
  process.exit(1);
}
const booted = result.booted;
const { settings, contracts } = booted;
if (booted.keys.usingDevKeys) {
  process.stderr.write(
    '\n  ************************************************************************\n' +
      '  *  DEMO MODE: using development keys from config/.dev-keys.json.       *\n' +
      '  *  They are NOT secret. Never use this configuration for real patrons. *\n' +
      '  ************************************************************************\n\n',
  );
}

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const version = (JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
// Shared state: Redis when state.redis is set (with state.required, no start without it), else memory.
const opened = await openSharedState(booted.sharedState, { logger, clock: () => new Date() });
if ('error' in opened) {
  process.stderr.write(`error: ${opened.error}\nThe gateway did not start. Check that Redis is running and reachable, or set state.required: false.\n`);
  process.exit(1);
}
const state = opened.state;
const app = createApp(booted, { registry, clock: () => new Date(), logger, version, state });

const servers: Server[] = [];
if (settings.demo && !production) {
  for (const contract of contracts.values()) {
    const upstream = contract.upstream ? new URL(contract.upstream.url) : undefined;
    // The demo website: a browse vendor whose upstream host is pinned to loopback.
    if (upstream && contract.browse && contract.upstream?.pin?.[upstream.hostname] === '127.0.0.1') {
      const site = createDemoBrowseSite();
      site.server.listen(Number(upstream.port), '127.0.0.1');
      site.server.on('error', () => logger.warn('demo website could not listen', { vendor: contract.id, port: Number(upstream.port) }));
      servers.push(site.server);
      continue;
    }
    if (!upstream || upstream.hostname !== '127.0.0.1' || contract.kind === 'grant') continue;
    const demo = createDemoVendorServer({ name: contract.name });
    demo.listen(Number(upstream.port), '127.0.0.1');
    demo.on('error', () => logger.warn('demo vendor could not listen', { vendor: contract.id, port: Number(upstream.port) }));
    servers.push(demo);
  }
  // The demo SAML services: each SP whose ACS is on loopback runs there, and shows the attributes it receives.
  for (const provider of booted.saml?.providers.values() ?? []) {
    const acs = provider.defaultAcs === undefined ? undefined : new URL(provider.defaultAcs.location);
    const contract = contracts.get(provider.vendorId);
    if (!acs || acs.hostname !== '127.0.0.1' || !contract || !booted.saml) continue;
    const sp = createDemoSamlSp({ name: contract.name, entityId: provider.entityId, acsUrl: acs.href, ssoUrl: booted.saml.idp.ssoUrl, idpEntityId: booted.saml.idp.entityId, idpCertificateBase64: booted.saml.idp.certificateBase64 });
    sp.listen(Number(acs.port), '127.0.0.1');
    sp.on('error', () => logger.warn('demo SAML service could not listen', { vendor: contract.id, port: Number(acs.port) }));
    servers.push(sp);
  }
  // The demo's OpenID Connect vendors: a relying party on the loopback port of its redirect URI, showing the claims it received.
  for (const client of booted.oidcClients) {
    const contract = contracts.get(client.vendorId);
    const callback = contract?.identity.oidc?.redirectUris.map((uri) => new URL(uri)).find((uri) => uri.hostname === '127.0.0.1');
    if (contract === undefined || callback === undefined || client.secret === undefined) continue;
    const rp = createDemoRelyingParty({ name: contract.name, issuer: `${new URL(settings.publicUrl).origin}/oidc`, clientId: client.clientId, clientSecret: client.secret, redirectUri: callback.href });
    rp.listen(Number(callback.port), '127.0.0.1');
    rp.on('error', () => logger.warn('demo relying party could not listen', { vendor: contract.id, port: Number(callback.port) }));
    servers.push(rp);
  }
}

// The SIP2 mediator, when the settings start one (vendors' servers connect here instead of to the ILS).
if (app.sip2) {
  const sip2 = app.sip2;
  sip2.server.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`The SIP2 mediator could not listen on ${sip2.host}:${sip2.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (change sip2Mediator.port)' : error.code}\n`);
    process.exit(1);
  });
  sip2.server.listen(sip2.port, sip2.host, () => {
    logger.info('sip2 mediator listening', { port: (sip2.server.address() as { port: number }).port });
  });
}

// The demo ILS: a SIP2 server on loopback answering from the demo patrons, for patrons.source: sip2.
const demoIls = settings.demo && !production ? startDemoIls() : undefined;
function startDemoIls(): NetServer | undefined {
  const patrons = settings.patrons.source === 'file' ? booted.patrons.source : booted.demoIlsPatrons?.source;
  if (patrons === undefined) return undefined;
  const sip2 = settings.patrons.sip2;
  const loopback = sip2 !== undefined && ['127.0.0.1', 'localhost', '::1'].includes(sip2.host);
  const ilsPort = loopback ? sip2.port : Number(env['DEMO_ILS_PORT'] ?? 6001);
  const ils = createDemoIlsServer({ patrons, institution: sip2?.institution ?? 'demo', now: () => Date.now() });
  ils.on('error', () => logger.warn('demo ILS could not listen', { port: ilsPort }));
  ils.listen(ilsPort, '127.0.0.1');
  return ils;
}

// Slow and idle clients are bounded by limits.headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs and maxConnections.
const server = createHttpServer(settings.limits, app.handler);
const port = Number(env['PORT'] ?? 8080);
server.on('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(`The gateway could not listen on port ${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (set PORT to another)' : error.code}\n`);
  process.exit(1);
});
server.listen(port, env['HOST'], () => {
  const actual = (server.address() as { port: number }).port;
  logger.info('gateway listening', { port: actual, vendors: contracts.size, patrons: booted.patrons.count });
  process.stdout.write(`Patron privacy gateway listening on port ${actual}. Sign in at ${new URL('/login', settings.publicUrl).href}\n`);
});

let stopping = false;
/**
 * SIGTERM or SIGINT: /readyz answers 503 at once and every response closes its connection, so the
 * load balancer stops sending new requests here; after limits.shutdownDelayMs the listener closes
 * (new connections are refused), requests in flight finish, idle connections close as they become
 * idle, and the process exits 0. Whatever is still open after limits.shutdownTimeoutMs is cut.
 */
function stop(): void {
  if (stopping) return;
  stopping = true;
  app.startStopping();
  const { shutdownDelayMs, shutdownTimeoutMs } = settings.limits;
  logger.info('shutting down: not ready, finishing requests in flight', { durationMs: shutdownDelayMs });
  setTimeout(() => {
    logger.info('shutting down: listener closed');
    app.sip2?.server.close();
    server.close(async () => {
      // The last spans go to the collector before the exporter stops (when tracing is on).
      await app.flushTraces().catch(() => undefined);
      app.close();
      void state.close();
      booted.patrons.close?.();
      demoIls?.close();
      for (const demo of servers) demo.close();
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
    // Connections that finish their last request become idle: close them as they do.
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => {
      logger.warn('shutting down: requests still in flight were cut', { durationMs: shutdownTimeoutMs });
      server.closeAllConnections();
      process.exit(0);
    }, shutdownTimeoutMs).unref();
  }, shutdownDelayMs);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
