import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { stringify } from 'yaml';
import type { DestinationStream } from 'pino';
import type { CompiledContract } from '../../src/contracts/compiled-contract.ts';
import { createApp, type App } from '../../src/app.ts';
import { boot, formatBootMessages } from '../../src/boot.ts';
import { openSharedState } from '../../src/state/open-shared-state.ts';
import type { AssertionKey } from '../../src/settings/assertion-keys.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { hashPin } from '../../src/patrons/pin-hash.ts';
import type { Settings } from '../../src/settings/load-settings.ts';
import { LIMIT_DEFAULTS } from '../../src/settings/settings-schema.ts';
import { createHttpServer } from '../../src/lib/create-http-server.ts';
import { TEST_MASTER_SECRET } from './contracts.ts';
import { createPatronTagger } from '../../src/policy/pseudonyms/patron-tag.ts';

export const SESSION_KEY = Buffer.alloc(32, 5);

/** The branding of every harness gateway unless a test gives its own. */
export const TEST_BRANDING = Object.freeze({
  libraryName: 'Test Town Library',
  website: 'https://library.example/',
  contact: { phone: '(203) 555-0100' },
  forgotPin: 'https://library.example/forgot-pin',
});

/**
 * The patron tag the harness's gateway stores in front of a vendor cookie's value for this patron
 * and vendor (computed by the gateway's own tagger over the harness's pseudonym secret).
 */
export function vendorCookieTag(patronId: string, vendorId: string): string {
  return createPatronTagger(TEST_MASTER_SECRET).tag(patronId, vendorId);
}

export interface TestPatron {
  readonly record: Record<string, unknown>;
  readonly pin: string;
}

export interface HarnessOptions {
  /** Contract YAML texts by vendor id. */
  readonly contracts: Record<string, string>;
  /** Other files next to the contracts, by file name (SAML SP metadata). */
  readonly vendorFiles?: Record<string, string>;
  readonly patrons: ReadonlyArray<TestPatron>;
  /** A mutable clock: tests move `clock.now`. */
  readonly clock?: { now: Date };
  /** Settings; `limits` are merged over the harness's own (small caches, 64 KiB bodies) and the defaults. */
  readonly settings?: Partial<Omit<Settings, 'limits' | 'reports'>> & { readonly limits?: Partial<Settings['limits']>; readonly reports?: Partial<Settings['reports']> };
  readonly assertionPems?: ReadonlyArray<{ kid: string; pem: string }>;
  readonly loginAttemptsPerMinute?: number;
  /** Bearer tokens for /metrics and /staff. */
  readonly tokens?: { readonly metricsToken?: string; readonly staffToken?: string };
  /** The settings' `patrons` section instead of the harness's patron file (e.g. `{ source: 'sip2', sip2: {...} }`). */
  readonly patronSettings?: Record<string, unknown>;
  /** More environment variables for secret sources (`{ env: NAME }`). */
  readonly env?: Record<string, string>;
  /** The settings' `state` section (e.g. `{ redis: { url } }`): the harness then opens Redis as main.ts does. */
  readonly state?: Record<string, unknown>;
  /** The session key (default SESSION_KEY) and older keys that still open sessions (`secrets.previousSessionKeys`). */
  readonly sessionKeys?: { readonly current: Buffer; readonly previous?: ReadonlyArray<Buffer> };
  /**
   * Browse mode: the proxy domain is `<proxyHost>:<the gateway's port>` (every vendor origin is on the
   * gateway's listener; clients name it in the Host header, Chromium through --host-resolver-rules).
   */
  readonly browse?: { readonly proxyHost: string; readonly ticketTtlSeconds?: number };
  /** The loopback port to listen on (default 0: any free port); a test that restarts a gateway in place names the port it had. */
  readonly port?: number;
  /** Drop log lines instead of keeping them (benchmarks: a growing array would cost more than logging). */
  readonly discardLogs?: boolean;
}

export interface Harness {
  readonly url: string;
  readonly app: App;
  readonly server: Server;
  readonly logs: string[];
  readonly clock: { now: Date };
  readonly assertionKeys: ReadonlyArray<AssertionKey>;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  /**
   * Signs in over HTTP and returns the Cookie header to send afterwards. Unless told not to, it
   * then accepts every vendor's notice the way a patron would (GET the notice, POST accept),
   * ticking the consents the patron's record opts in to.
   */
  login(barcode: string, pin: string, options?: { acceptNotices?: boolean }): Promise<string>;
  /** Accepts one vendor's notice with these consents; returns the updated Cookie header. */
  acceptNotice(cookie: string, vendor: string, consents: ReadonlyArray<string>): Promise<string>;
  close(): Promise<void>;
}

/** Fresh ES256 keys for one test file. */
export function generateAssertionPem(kid: string): { kid: string; pem: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * Starts the real gateway on an ephemeral loopback port, booted the way production boots: the
 * settings YAML, the contracts and the patron file are written to a temporary folder, the secrets
 * are passed through an environment, and boot() loads them before createApp() wires the gateway.
 */
export async function startGateway(options: HarnessOptions): Promise<Harness> {
  const clock = options.clock ?? { now: new Date('2026-11-29T12:00:00Z') };
  const dir = await mkdtemp(join(tmpdir(), 'gw-harness-'));
  await mkdir(join(dir, 'vendors'));
  for (const [id, text] of Object.entries(options.contracts)) await writeFile(join(dir, 'vendors', `${id}.yaml`), text);
  for (const [name, text] of Object.entries(options.vendorFiles ?? {})) await writeFile(join(dir, 'vendors', name), text);
  const records: Array<Record<string, unknown>> = await Promise.all(options.patrons.map(async (p) => ({ ...p.record, pinHash: await hashPin(p.pin, { N: 1024, r: 8, p: 1 }) })));
  await writeFile(join(dir, 'patrons.yaml'), stringify(records));
  const pems = options.assertionPems ?? [generateAssertionPem('test-key-1')];
  const env: Record<string, string> = {
    GW_PSEUDONYM_SECRET: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
    GW_SESSION_KEY: `base64:${(options.sessionKeys?.current ?? SESSION_KEY).toString('base64')}`,
    ...Object.fromEntries((options.sessionKeys?.previous ?? []).map((key, index) => [`GW_PREVIOUS_SESSION_KEY_${index}`, `base64:${key.toString('base64')}`])),
    ...Object.fromEntries(pems.map((p, index) => [`GW_ASSERTION_KEY_${index}`, p.pem])),
    ...(options.tokens?.metricsToken !== undefined ? { GW_METRICS_TOKEN: options.tokens.metricsToken } : {}),
    ...(options.tokens?.staffToken !== undefined ? { GW_STAFF_TOKEN: options.tokens.staffToken } : {}),
    ...options.env,
  };
  const logs: string[] = [];
  const logger = createLogger({
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (!options.discardLogs) logs.push(chunk.toString('utf8'));
        callback();
      },
    }) as unknown as DestinationStream,
  });
  // Listen first, so the public URL is the real one (with its port).
  let listener: RequestListener = (_req, res) => res.end();
  const limits = { ...LIMIT_DEFAULTS, bodyBytes: 64 * 1024, patronCacheSize: 100, patronCacheTtlSeconds: 300, sessionTtlSeconds: 3600, loginAttemptsPerMinute: 10, ...options.settings?.limits };
  // The listener main.ts makes, with the same limits (slow clients, idle connections, maxConnections).
  const server = createHttpServer(limits, (req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settingsFile = join(dir, 'gateway.yaml');
  await writeFile(
    settingsFile,
    stringify({
      publicUrl: options.settings?.publicUrl ?? url,
      vendorsDir: 'vendors',
      patrons: options.patronSettings ?? { file: 'patrons.yaml' },
      demo: false,
      ...(options.settings?.trustProxy !== undefined ? { trustProxy: options.settings.trustProxy } : {}),
      ...(options.settings?.sip2Mediator !== undefined ? { sip2Mediator: options.settings.sip2Mediator } : {}),
      ...(options.settings?.saml !== undefined ? { saml: options.settings.saml } : {}),
      secrets: {
        pseudonymSecret: { env: 'GW_PSEUDONYM_SECRET' },
        pseudonymEpoch: 1,
        sessionKey: { env: 'GW_SESSION_KEY' },
        ...(options.sessionKeys?.previous ? { previousSessionKeys: options.sessionKeys.previous.map((_key, index) => ({ env: `GW_PREVIOUS_SESSION_KEY_${index}` })) } : {}),
        assertionKeys: pems.map((p, index) => ({ kid: p.kid, alg: 'ES256', privateKey: { env: `GW_ASSERTION_KEY_${index}` } })),
      },
      admin: {
        staffPatronTypes: options.settings?.admin?.staffPatronTypes ?? ['staff'],
        ...(options.settings?.admin?.sso !== undefined ? { sso: options.settings.admin.sso } : {}),
        ...(env['GW_METRICS_TOKEN'] !== undefined ? { metricsToken: { env: 'GW_METRICS_TOKEN' } } : {}),
        ...(env['GW_STAFF_TOKEN'] !== undefined ? { staffToken: { env: 'GW_STAFF_TOKEN' } } : {}),
        ...(options.settings?.admin?.prometheus ? { prometheus: options.settings.admin.prometheus } : {}),
      },
      ...(options.settings?.reports ? { reports: options.settings.reports } : {}),
      ...(options.state ? { state: options.state } : {}),
      ...(options.settings?.observability ? { observability: options.settings.observability } : {}),
      // Patron pages are branded as in production (a test's own branding replaces this one).
      branding: options.settings?.branding ?? TEST_BRANDING,
      ...(options.settings?.labels ? { labels: options.settings.labels } : {}),
      ...(options.browse ? { browse: { proxyDomain: `${options.browse.proxyHost}:${(server.address() as AddressInfo).port}`, ...(options.browse.ticketTtlSeconds !== undefined ? { ticketTtlSeconds: options.browse.ticketTtlSeconds } : {}) } } : {}),
      limits,
    }),
  );
  const result = await boot({ settingsFile, env, production: false, clock: () => clock.now });
  if (!result.ok) {
    server.close();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`the test gateway did not boot:\n${formatBootMessages(result).join('\n')}`);
  }
  const { booted } = result;
  if (booted.patrons.skipped.length > 0) throw new Error(`test patrons skipped: ${booted.patrons.skipped.map((s) => s.message).join('; ')}`);
  const opened = await openSharedState(booted.sharedState, { logger, clock: () => clock.now });
  if ('error' in opened) throw new Error(opened.error);
  const app = createApp(booted, {
    registry: new Registry(),
    clock: () => clock.now,
    logger,
    loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 10_000,
    state: opened.state,
  });
  const { assertionKeys, contracts } = booted;
  listener = app.handler;
  async function acceptNotice(cookie: string, vendor: string, consents: ReadonlyArray<string>): Promise<string> {
      const page = await fetch(`${url}/notices/${vendor}`, { headers: { cookie } });
      const html = await page.text();
      if (page.status !== 200) return cookie;
      const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const offered = [...html.matchAll(/name="consent" value="([^"]+)"/g)].map((m) => m[1] ?? '');
      const body = new URLSearchParams({ csrf: token, decision: 'accept', next: `/v/${vendor}/` });
      for (const consent of offered) if (consents.includes(consent)) body.append('consent', consent);
      const response = await fetch(`${url}/notices/${vendor}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
      const notices = response.headers.getSetCookie().find((c) => c.startsWith('gw_notices='))?.split(';')[0];
      if (response.status !== 303 || !notices) throw new Error(`accepting the ${vendor} notice failed with ${response.status}`);
      return [...cookie.split('; ').filter((c) => !c.startsWith('gw_notices=')), notices].join('; ');
  }
  return {
    url,
    app,
    server,
    logs,
    clock,
    assertionKeys,
    contracts,
    acceptNotice,
    async login(barcode, pin, loginOptions = {}) {
      const page = await fetch(`${url}/login`);
      const csrfCookie = (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '';
      const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const response = await fetch(`${url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
        body: new URLSearchParams({ barcode, pin, csrf: token, next: '/' }).toString(),
      });
      const session = response.headers.getSetCookie().find((c) => c.startsWith('gw_session='));
      if (response.status !== 303 || !session) throw new Error(`login failed with ${response.status}`);
      let cookie = `${session.split(';')[0]}; ${csrfCookie}`;
      if (loginOptions.acceptNotices === false) return cookie;
      const record = records.find((r) => r['barcode'] === barcode);
      const consents = Array.isArray(record?.['consents']) ? (record['consents'] as string[]) : [];
      for (const contract of contracts.values()) if (contract.kind !== 'grant') cookie = await acceptNotice(cookie, contract.id, consents);
      return cookie;
    },
    async close() {
      app.close();
      await opened.state.close();
      booted.patrons.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A contract for a test vendor pointing at a loopback upstream. `extra` is YAML appended at top level. */
export function testContract(id: string, upstreamUrl: string, body: string): string {
  return `id: ${id}
name: ${id} display name
kind: econtent
purpose: Testing
contract: { reference: T-${id}, effective: 2026-01-01, expires: 2027-12-31 }
upstream: { url: "${upstreamUrl}", hosts: [127.0.0.1], timeoutMs: 2000 }
${body}`;
}
