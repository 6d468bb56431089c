/**
 * Wires the SIP2 patron source from its settings: a bounded pool of connections to the ILS, each
 * opened over TCP or TLS and logged in with the gateway's own 93. Nothing connects until the
 * first sign-in (so `gateway check` never touches the ILS).
 */
import { createSip2Pool } from '../sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../sip2/sip2-connection.ts';
import type { Sip2PatronSettings } from '../settings/patron-source-settings.ts';
import { createSip2PatronSource, type Sip2PatronSource } from './sip2-patron-source.ts';

export interface OpenSip2PatronSourceOptions {
  readonly settings: Sip2PatronSettings;
  /** The gateway's own SIP login, resolved from its secret sources. */
  readonly credentials?: { readonly user: string; readonly password: string } | undefined;
  /** The CA file's contents, when `ca` is set. */
  readonly ca?: Buffer | undefined;
  readonly now: () => number;
  readonly cache: { readonly max: number; readonly ttlMs: number };
}

export function openSip2PatronSource(options: OpenSip2PatronSourceOptions): Sip2PatronSource {
  const { settings } = options;
  const pool = createSip2Pool({
    size: settings.pool,
    keepAlive: { everyMs: settings.keepAliveMs, timeoutMs: settings.timeoutMs },
    open: (signal) =>
      openSip2Connection(
        {
          host: settings.host,
          port: settings.port,
          tls: settings.tls ? { ca: options.ca, servername: settings.servername } : undefined,
          login: options.credentials === undefined ? undefined : { ...options.credentials, location: settings.location },
        },
        signal,
      ),
  });
  return createSip2PatronSource({
    pool,
    institution: settings.institution,
    dialect: settings.dialect,
    timeoutMs: settings.timeoutMs,
    now: options.now,
    cache: options.cache,
  });
}
