import { generateKeyPairSync } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import type { CompiledContract } from '../../src/contracts/compiled-contract.ts';
import { compileContractText } from '../../src/contracts/load-contracts.ts';
import { createApp, type App } from '../../src/app.ts';
import { importAssertionKeys, type AssertionKey } from '../../src/settings/assertion-keys.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { parsePatronFile } from '../../src/patrons/file-patron-source.ts';
import { hashPin } from '../../src/patrons/pin-hash.ts';
import type { Settings } from '../../src/settings/load-settings.ts';
import type { KeyMaterial } from '../../src/settings/resolve-keys.ts';
import { stringify } from 'yaml';
import type { DestinationStream } from 'pino';
import { TEST_MASTER_SECRET } from './contracts.ts';

export const SESSION_KEY = Buffer.alloc(32, 5);

export interface TestPatron {
  readonly record: Record<string, unknown>;
  readonly pin: string;
}

export interface HarnessOptions {
  /** Contract YAML texts by vendor id. */
  readonly contracts: Record<string, string>;
  readonly patrons: ReadonlyArray<TestPatron>;
  /** A mutable clock: tests move `clock.now`. */
  readonly clock?: { now: Date };
  readonly settings?: Partial<Settings>;
  readonly assertionPems?: ReadonlyArray<{ kid: string; pem: string }>;
  readonly loginAttemptsPerMinute?: number;
  /** Bearer tokens for /metrics and /staff. */
  readonly tokens?: { readonly metricsToken?: string; readonly staffToken?: string };
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

/** Starts the real gateway (createApp behind node:http) on an ephemeral loopback port. */
export async function startGateway(options: HarnessOptions): Promise<Harness> {
  const clock = options.clock ?? { now: new Date('2026-11-29T12:00:00Z') };
  const contracts = new Map<string, CompiledContract>();
  for (const [id, text] of Object.entries(options.contracts)) {
    const result = compileContractText(`vendors/${id}.yaml`, text, { signingKeyConfigured: true });
    if (!result.contract) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
    contracts.set(id, result.contract);
  }
  const records: Array<Record<string, unknown>> = await Promise.all(options.patrons.map(async (p) => ({ ...p.record, pinHash: await hashPin(p.pin, { N: 1024, r: 8, p: 1 }) })));
  const patrons = parsePatronFile('patrons.yaml', stringify(records));
  if (patrons.skipped.length > 0) throw new Error(`test patrons skipped: ${patrons.skipped.map((s) => s.message).join('; ')}`);
  const pems = options.assertionPems ?? [generateAssertionPem('test-key-1')];
  const keys: KeyMaterial = {
    pseudonymSecret: TEST_MASTER_SECRET,
    pseudonymEpoch: 1,
    sessionKey: SESSION_KEY,
    assertionKeys: pems.map((p) => ({ kid: p.kid, alg: 'ES256' as const, pem: p.pem })),
    usingDevKeys: false,
    ...(options.tokens ?? {}),
  };
  const assertionKeys = await importAssertionKeys(keys.assertionKeys);
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
  const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings: Settings = {
    file: 'test-settings.yaml',
    publicUrl: url,
    vendorsDir: 'vendors',
    patrons: { file: 'patrons.yaml' },
    demo: false,
    secrets: { pseudonymEpoch: 1, assertionKeys: [] },
    admin: { staffPatronTypes: ['staff'] },
    limits: { bodyBytes: 64 * 1024, patronCacheSize: 100, patronCacheTtlSeconds: 300, sessionTtlSeconds: 3600, loginAttemptsPerMinute: 10 },
    signingKeyConfigured: true,
    ...options.settings,
  };
  const app = createApp({
    settings,
    contracts,
    patrons: patrons.source,
    keys,
    assertionKeys,
    registry: new Registry(),
    clock: () => clock.now,
    logger,
    loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 10_000,
  });
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
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
