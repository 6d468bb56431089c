import type { Server } from 'node:net';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Logger } from '../../log/create-logger.ts';
import type { GatewayMetrics } from '../../metering/gateway-metrics.ts';
import type { PseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import type { LoginRateLimiter, LoginRateLimiterOptions } from '../../sessions/login-rate-limiter.ts';
import type { Sip2MediatorSetup } from '../../settings/resolve-sip2-mediator.ts';
import { createSip2Pool } from '../../sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../sip2/sip2-connection.ts';
import { createPoolIlsClient } from './ils/pool-ils-client.ts';
import { createSip2Mediator } from './index.ts';
import { createSip2Listener } from './sip2-listener.ts';
import { createVendorLogins } from './vendor-logins.ts';

export interface Sip2ChannelDeps {
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly pseudonyms: PseudonymKeys;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Key material for the throttles' card HMAC (the session key). */
  readonly sessionKey: Uint8Array;
  /** Makes the throttles, in the gateway's shared state (Redis when nodes share it), apart from web sign-in's. */
  readonly createLimiter: (name: 'sip2-login' | 'sip2-pin', options: LoginRateLimiterOptions) => LoginRateLimiter;
  readonly loginAttemptsPerMinute: number;
  readonly loginFailuresPerCard: number;
}

/**
 * Wires the SIP2 channel from its setup: a pool of the gateway's own connections to the ILS (the
 * SIP2 client's, separate from sign-in's), the vendors' logins, the throttles, the mediator and its
 * TCP or TLS server. Nothing connects to the ILS until the first lookup; the caller listens.
 */
export function startSip2Channel(setup: Sip2MediatorSetup, deps: Sip2ChannelDeps): { server: Server; host: string; port: number; close(): void } {
  const ils = setup.ils;
  const pool = createSip2Pool({
    size: setup.ilsPool,
    now: () => Date.now(),
    keepAlive: { everyMs: ils.settings.keepAliveMs, timeoutMs: ils.settings.timeoutMs },
    open: (signal) =>
      openSip2Connection(
        {
          host: ils.settings.host,
          port: ils.settings.port,
          tls: ils.settings.tls ? { ca: ils.ca, servername: ils.settings.servername } : undefined,
          login: ils.credentials === undefined ? undefined : { ...ils.credentials, location: ils.settings.location },
        },
        signal,
      ),
  });
  const client = createPoolIlsClient({ pool, institution: ils.settings.institution, dialect: ils.settings.dialect, timeoutMs: ils.settings.timeoutMs, now: () => deps.clock().getTime() });
  const mediator = createSip2Mediator({
    contracts: deps.contracts,
    logins: createVendorLogins(setup.vendors),
    ils: client,
    pseudonyms: deps.pseudonyms,
    metrics: deps.metrics,
    logger: deps.logger,
    clock: deps.clock,
    loginLimiter: deps.createLimiter('sip2-login', { key: deps.sessionKey, clientFailures: deps.loginAttemptsPerMinute, clientWindowSeconds: 60, cardFailures: deps.loginAttemptsPerMinute, cardWindowSeconds: 60 }),
    pinLimiter: deps.createLimiter('sip2-pin', { key: deps.sessionKey, clientFailures: 100 * deps.loginFailuresPerCard, clientWindowSeconds: 15 * 60, cardFailures: deps.loginFailuresPerCard, cardWindowSeconds: 15 * 60 }),
  });
  const problems = mediator.validate();
  if (problems.length > 0) throw new Error(`the SIP2 mediator cannot start: ${problems.join('; ')}`);
  const server = createSip2Listener(mediator, { tls: setup.tls });
  return {
    server,
    host: setup.host,
    port: setup.port,
    close() {
      server.close();
      client.close();
    },
  };
}
