import * as z from 'zod';
import { parseAddressOrCidr } from '../lib/ip-address.ts';
import { secretSource } from './secret-source-schema.ts';
import { patronSourceSchema } from './patron-source-settings.ts';


/**
 * The SIP2 privacy mediator (reference section 10): a TCP listener, TLS when a certificate is
 * given, where vendors' servers send SIP2 instead of connecting to the ILS. Each vendor logs in
 * with its own credentials and must have a contract with `identity.delivery: sip2`.
 */
const sip2MediatorSchema = z.strictObject({
  /** The address to listen on (0.0.0.0 for all, 127.0.0.1 behind a tunnel). */
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  /** PEM certificate chain and private key files: the listener then speaks TLS 1.2 or later only. */
  tls: z.strictObject({ cert: z.strictObject({ file: z.string().min(1) }), key: z.strictObject({ file: z.string().min(1) }) }).optional(),
  /** Vendor id (its contract's file name) -> its SIP2 login (CN) and password (CO), each a secret. */
  vendors: z.record(
    z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use the vendor id, the contract file name without .yaml, such as hoopla-demo'),
    z.strictObject({ user: secretSource, password: secretSource }),
  ),
});

/** The gateway's settings file (`config/gateway.yaml` by default, or GATEWAY_CONFIG). Relative paths are relative to the settings file. */
export const settingsSchema = z.strictObject({
  /** The URL patrons use to reach the gateway; also the `iss` of assertions. https in production. */
  publicUrl: z.url({ protocol: /^https?$/ }),
  /** The folder of vendor contracts. */
  vendorsDir: z.string().min(1),
  /** Where patron records come from: the patron file (the embedded default) or the ILS over SIP2. */
  patrons: patronSourceSchema,
  /**
   * The embedded demo: generate development keys when none are given and run the demo vendor.
   * Refused when NODE_ENV=production.
   */
  demo: z.boolean().default(false),
  secrets: z
    .strictObject({
      /** The one master secret for pseudonyms (at least 32 bytes; base64 or hex accepted). */
      pseudonymSecret: secretSource.optional(),
      /** The pseudonym key epoch: bump it to rotate every vendor's pseudonyms. */
      pseudonymEpoch: z.number().int().min(1).default(1),
      /** Key for patron session cookies (at least 32 bytes). */
      sessionKey: secretSource.optional(),
      /** Assertion signing keys (PKCS#8 PEM). The first signs; all are published at /.well-known/jwks.json. */
      assertionKeys: z
        .array(
          z.strictObject({
            kid: z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, dots, hyphens and underscores'),
            alg: z.enum(['ES256', 'EdDSA']).default('ES256'),
            privateKey: secretSource,
          }),
        )
        .default([]),
    })
    .default({ pseudonymEpoch: 1, assertionKeys: [] }),
  /**
   * The reverse proxies or load balancers in front of the gateway (IP addresses or CIDR ranges).
   * Only a connection from one of these may say, in X-Forwarded-For, which client it is relaying;
   * sign-in limits then count that client. Default none: the connection's own address counts.
   */
  trustProxy: z
    .array(
      z.string().refine((entry) => parseAddressOrCidr(entry) !== undefined, {
        message: 'is not an IP address or CIDR range; write the address of a proxy in front of the gateway (10.0.0.5, 2001:db8::5) or a range (10.0.0.0/8, 2001:db8::/32)',
      }),
    )
    .max(100)
    .default([]),
  /** The SIP2 mediator; absent: not started. */
  sip2Mediator: sip2MediatorSchema.optional(),
  /** Access for library staff and IT. */
  admin: z
    .strictObject({
      /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
      metricsToken: secretSource.optional(),
      /** A bearer credential for /staff (for IT without a patron card). Staff patrons sign in normally. */
      staffToken: secretSource.optional(),
      /** Patron types that may open /staff. */
      staffPatronTypes: z.array(z.string().min(1)).default(['staff']),
    })
    .default({ staffPatronTypes: ['staff'] }),
  /** Grant reports in the staff console. */
  reports: z
    .strictObject({
      /**
       * A folder (that exists and the gateway may write) for each grant's release ledger,
       * `<grant>.json`: the tables already published, aggregates only. Relative to this file.
       */
      ledgerDir: z.string().min(1).optional(),
      /**
       * How many console reports may run at once (each in a worker thread of its own); past it
       * staff get a 503 page, "another report is running", and the proxy keeps its cores.
       */
      maxConcurrent: z.number().int().min(1).max(16).default(1),
      /** A console report still running after this many seconds is stopped (nothing is published). */
      timeoutSeconds: z.number().int().min(1).max(3600).default(600),
      /** The JavaScript heap of each report's worker thread, in MB; a report needing more is stopped. */
      maxMemoryMb: z.number().int().min(16).max(16_384).default(1024),
    })
    .default({ maxConcurrent: 1, timeoutSeconds: 600, maxMemoryMb: 1024 }),
  limits: z
    .strictObject({
      /** Largest request body the gateway reads (JSON and forms), in bytes. */
      bodyBytes: z.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
      /** Patron records cached per session. */
      patronCacheSize: z.number().int().min(1).max(1_000_000).default(10_000),
      patronCacheTtlSeconds: z.number().int().min(1).max(86_400).default(300),
      /** How long a patron stays signed in. */
      sessionTtlSeconds: z.number().int().min(60).max(7 * 86_400).default(4 * 3600),
      /** Failed sign-ins per client address per minute before 429. */
      loginAttemptsPerMinute: z.number().int().min(1).max(1000).default(10),
      /** Failed sign-ins per library card per 15 minutes before 429 (whatever address they come from). */
      loginFailuresPerCard: z.number().int().min(1).max(1000).default(10),
    })
    .default({ bodyBytes: 1024 * 1024, patronCacheSize: 10_000, patronCacheTtlSeconds: 300, sessionTtlSeconds: 4 * 3600, loginAttemptsPerMinute: 10, loginFailuresPerCard: 10 }),
});

export type SettingsDocument = z.output<typeof settingsSchema>;
export type { SecretSource } from './secret-source-schema.ts';
