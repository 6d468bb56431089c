import * as z from 'zod';
import { parseAddressOrCidr } from '../lib/ip-address.ts';
import { secretSource } from './secret-source-schema.ts';
import { patronSourceSchema } from './patron-source-settings.ts';
import { staffSsoSettingsSchema } from './sso-settings.ts';
import { brandingSchema, labelsSchema } from './branding-schema.ts';


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
  /**
   * The mediator's own connections to the ILS (default patrons.sip2.pool). The ILS answers each
   * connection one request at a time, so lookups per second stay below ilsPool / the ILS's time per
   * lookup: size it for the vendor connections expected at once (without the mediator, each was a
   * connection of its own to the ILS).
   */
  ilsPool: z.number().int().min(1).max(256).optional(),
  /** Vendor id (its contract's file name) -> its SIP2 login (CN) and password (CO), each a secret. */
  vendors: z.record(
    z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use the vendor id, the contract file name without .yaml, such as hoopla-demo'),
    z.strictObject({ user: secretSource, password: secretSource }),
  ),
});

/** eduPersonAffiliation values a patron type may map to (eduPerson 202208). */
const SAML_AFFILIATIONS = ['member', 'student', 'faculty', 'staff', 'employee', 'affiliate', 'alum', 'library-walk-in'] as const;

/**
 * The gateway as a SAML identity provider (contracts with `identity.delivery: saml`): metadata at
 * {publicUrl}/saml/metadata, single sign-on at {publicUrl}/saml/sso. Absent: no SAML.
 */
const samlSchema = z.strictObject({
  /** The library's domain: the scope of pairwise-id and eduPersonScopedAffiliation values (such as library.example.org). */
  scope: z.string().regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, 'use the library\'s domain in lower case, such as library.example.org'),
  /** The IdP's RSA signing key (PKCS#8 PEM, 2048 bits or more): SPs verify RSA-SHA256. From the environment or a file. */
  signingKey: secretSource,
  /** The X.509 certificate (PEM) of that key, published in the metadata. A certificate whose subject starts with "demo-only-" is refused outside demo mode. */
  certificate: secretSource,
  /** patronType -> eduPersonAffiliation (unlisted types are member); a contract's identity.saml.affiliations overrides it per vendor. */
  affiliations: z.record(z.string().min(1), z.enum(SAML_AFFILIATIONS)).default({}),
  /** How old an AuthnRequest may be (its IssueInstant), in seconds; also how long its ID is remembered against replay. */
  requestMaxAgeSeconds: z.number().int().min(30).max(900).default(300),
  /** How long an assertion may be used (NotOnOrAfter), in seconds. */
  assertionLifetimeSeconds: z.number().int().min(30).max(900).default(300),
  /** AuthnRequest IDs remembered against replay, at most (a bounded cache; the oldest are forgotten first, never before requestMaxAgeSeconds unless it is full). */
  maxRememberedRequests: z.number().int().min(100).max(10_000_000).default(100_000),
});

/** A Redis URL written in the settings file: redis:// or rediss://, a host, and no password (passwords come from the environment or a file). */
const plainRedisUrl = z.string().superRefine((text, context) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    context.addIssue({ code: 'custom', message: 'is not a URL; write redis://HOST:PORT (rediss:// for TLS), or { env: NAME } to read it from the environment' });
    return;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') context.addIssue({ code: 'custom', message: 'must start with redis:// or rediss:// (TLS)' });
  else if (url.hostname === '') context.addIssue({ code: 'custom', message: 'names no host; write redis://HOST:PORT' });
  else if (url.password !== '') context.addIssue({ code: 'custom', message: 'holds a password; a password never goes in the settings file: use state.redis.password: { env: NAME }, or give the whole URL as url: { env: NAME }' });
});

/**
 * Shared state for a gateway of several nodes (the sign-in throttles, revoked sessions, single-use
 * tickets). Without `redis`: one node's memory.
 */
const stateSchema = z.strictObject({
  /** Refuse to start without Redis (a multi-node deployment, where memory would let each node count apart). */
  required: z.boolean().default(false),
  /** With required: true, how long startup waits for Redis to answer before giving up. */
  startTimeoutSeconds: z.number().int().min(1).max(300).default(10),
  redis: z
    .strictObject({
      /** redis://HOST:PORT[/DB] or rediss:// (TLS); as text without a password, or a secret ({ env } / { file }) that may hold one. */
      url: z.union([plainRedisUrl, secretSource]),
      /** The ACL user (Redis 6+), when not in the URL. */
      username: z.string().min(1).max(256).optional(),
      /** The password, when not in a secret URL. */
      password: secretSource.optional(),
      /** TLS (also implied by rediss://): the CA that signed the Redis server's certificate, a PEM file. */
      tls: z.strictObject({ ca: z.strictObject({ file: z.string().min(1) }).optional() }).optional(),
      /** Put in front of every key, so several gateways (or other programs) can share one Redis. */
      keyPrefix: z.string().regex(/^[A-Za-z0-9:_.-]{1,40}$/, 'use 1 to 40 letters, digits, colons, dots, hyphens or underscores, such as ppg:').default('ppg:'),
    })
    .optional(),
});

/** A Prometheus server's base URL: http or https, a host, no password, no query (its API is under /api/v1/). */
const prometheusUrl = z.string().superRefine((text, context) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    context.addIssue({ code: 'custom', message: 'is not a URL; write the base URL of the library\'s Prometheus, such as http://prometheus:9090' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') context.addIssue({ code: 'custom', message: 'must start with http:// or https://; write the base URL of the library\'s Prometheus, such as http://prometheus:9090' });
  else if (url.username !== '' || url.password !== '') context.addIssue({ code: 'custom', message: 'holds a user name or password; credentials never go in the settings file: give the gateway a Prometheus it can read without them (a loopback or internal address)' });
  else if (url.search !== '' || url.hash !== '') context.addIssue({ code: 'custom', message: 'has a query or fragment; write only the base URL, such as http://prometheus:9090 or https://monitoring.example.org/prometheus' });
});

/** Label matchers such as job="gateway", env!~"test.*": letters, digits and underscores, an operator, a quoted value without quotes or backslashes. */
const LABEL_MATCHERS = /^[A-Za-z_][A-Za-z0-9_]*(=|!=|=~|!~)"[^"\\{}]*"(\s*,\s*[A-Za-z_][A-Za-z0-9_]*(=|!=|=~|!~)"[^"\\{}]*")*$/;

/** The library's Prometheus, for the staff console's history. */
const prometheusSchema = z.strictObject({
  /** Base URL, such as http://prometheus:9090. */
  url: prometheusUrl,
  /** The console's reads from Prometheus give up after this long, and the page shows counts since start. */
  timeoutMs: z.number().int().min(100).max(30_000).default(3000),
  /** Label matchers that pick this gateway's series, such as job="gateway" (when Prometheus scrapes other gateways too). */
  selector: z.string().max(500).regex(LABEL_MATCHERS, 'write label matchers such as job="gateway" or job="gateway",env="prod"').optional(),
});

/** The defaults of `limits` (also what a test starts from). */
export const LIMIT_DEFAULTS = Object.freeze({
  bodyBytes: 1024 * 1024,
  patronCacheSize: 10_000,
  patronCacheTtlSeconds: 300,
  sessionTtlSeconds: 4 * 3600,
  loginAttemptsPerMinute: 10,
  loginFailuresPerCard: 10,
  maxConnections: 4096,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  upstreamSocketsPerVendor: 256,
  shutdownDelayMs: 0,
  shutdownTimeoutMs: 10_000,
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
      /** Key for patron session cookies (at least 32 bytes): seals new sessions, signs CSRF tokens. */
      sessionKey: secretSource.optional(),
      /**
       * Keys that still open sessions (and accept CSRF tokens) but never seal: the old key during a
       * rotation, until every session sealed with it has expired (also the next key while it is
       * being rolled out to every node). At least 32 bytes each.
       */
      previousSessionKeys: z.array(secretSource).max(8).default([]),
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
    .default({ pseudonymEpoch: 1, previousSessionKeys: [], assertionKeys: [] }),
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
  /** The SAML identity provider; absent: not started (and saml contracts are refused). */
  saml: samlSchema.optional(),
  /**
   * Browse mode (vendor websites on origins of their own). Absent: no vendor website is served
   * (contracts with a `browse:` section are then refused at startup).
   */
  browse: z
    .strictObject({
      /**
       * The domain under which every vendor host gets an origin of its own: www.vendor.com is served as
       * www-vendor-com.<proxyDomain>. Wildcard DNS (*.<proxyDomain>) must point at the gateway and the
       * certificate must cover *.<proxyDomain>. Put it on a registrable domain of its own, apart from
       * the gateway's pages (portal on library.org, vendors under lib-proxy.org): README, "Browse mode".
       * A :port only when the gateway is not on 443/80 (the demo).
       */
      proxyDomain: z
        .string()
        .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$/, 'write a lower-case domain of at least two labels such as lib-proxy.org (with :port only when the gateway is not on 443/80), no wildcard, no scheme'),
      /** How long a hand-off ticket from /browse/{vendor} to a vendor origin is good for (used once, within this many seconds). */
      ticketTtlSeconds: z.number().int().min(1).max(60).default(10),
    })
    .optional(),
  /** The SIP2 mediator; absent: not started. */
  sip2Mediator: sip2MediatorSchema.optional(),
  /** Shared state for several nodes (Redis); absent: one node's memory. */
  state: stateSchema.default({ required: false, startTimeoutSeconds: 10 }),
  /** Traces for the library's monitoring. */
  observability: z
    .strictObject({
      /** OpenTelemetry traces over OTLP/HTTP (JSON): the collector's traces URL, such as http://otel-collector:4318/v1/traces. Absent: no tracing. */
      otlp: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }).optional(),
    })
    .default({}),
  /** The library's name, logo, colours and links on every patron page (README, "Branding"). Required with NODE_ENV=production. */
  branding: brandingSchema.optional(),
  /** Labels for patron types, branches, languages and consents on patron pages. */
  labels: labelsSchema.default({ patronTypes: {}, branches: {}, languages: {}, consents: {} }),
  /** Access for library staff and IT. */
  admin: z
    .strictObject({
      /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
      metricsToken: secretSource.optional(),
      /** A bearer credential for /staff (for IT without a patron card). Staff patrons sign in normally. */
      staffToken: secretSource.optional(),
      /** Patron types that may open /staff. */
      staffPatronTypes: z.array(z.string().min(1)).default(['staff']),
      /** Staff sign in to /staff at the library's single sign-on with this client (whatever patrons use). */
      sso: staffSsoSettingsSchema.optional(),
      /** The library's Prometheus, which the staff console reads its windows and per-day charts from. Absent: counts since start. */
      prometheus: prometheusSchema.optional(),
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
      /** Open client connections at most; more are closed as they arrive (slots come back as idle ones time out). */
      maxConnections: z.number().int().min(8).max(1_000_000).default(4096),
      /** How long a client may take to send a request's headers (a slow-loris client is answered 408 and closed). */
      headersTimeoutMs: z.number().int().min(200).max(300_000).default(20_000),
      /** How long a client may take to send a whole request, body included. At least headersTimeoutMs. */
      requestTimeoutMs: z.number().int().min(200).max(3_600_000).default(120_000),
      /** How long an idle keep-alive connection is kept. */
      keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000),
      /** Sockets open to one vendor at most; requests beyond wait for one (each within the vendor's timeoutMs). */
      upstreamSocketsPerVendor: z.number().int().min(1).max(10_000).default(256),
      /** On SIGTERM: how long /readyz answers 503 while new connections are still taken (the load balancer drains), before the listener closes. */
      shutdownDelayMs: z.number().int().min(0).max(120_000).default(0),
      /** On SIGTERM: how long requests in flight may take to finish before the remaining connections are cut and the process exits. */
      shutdownTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    })
    .refine((limits) => limits.requestTimeoutMs >= limits.headersTimeoutMs, { message: 'requestTimeoutMs must be at least headersTimeoutMs (the whole request includes its headers)', path: ['requestTimeoutMs'] })
    .default({ ...LIMIT_DEFAULTS }),
});

export type SettingsDocument = z.output<typeof settingsSchema>;
export type { SecretSource } from './secret-source-schema.ts';
