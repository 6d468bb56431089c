import { connect, type AddressInfo, type Server } from 'node:net';
import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { Registry } from 'prom-client';
import { createSip2Mediator } from '../../src/channels/sip2/index.ts';
import { createPoolIlsClient } from '../../src/channels/sip2/ils/pool-ils-client.ts';
import { createSip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';
import { createSip2Listener } from '../../src/channels/sip2/sip2-listener.ts';
import { createVendorLogins } from '../../src/channels/sip2/vendor-logins.ts';
import type { CompiledContract } from '../../src/contracts/compiled-contract.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../../src/metering/gateway-metrics.ts';
import { createLoginRateLimiter } from '../../src/sessions/login-rate-limiter.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from './contracts.ts';
import { fakeChecksum, startFakeIls, type FakeIls, type FakeIlsOptions } from './fake-ils.ts';

/** A sip2 contract (no upstream) for vendor `id`; `identity` and `fields` as YAML lines. */
export function sip2Contract(id: string, identity = 'identity: { delivery: sip2 }', fields = 'fields: {}'): CompiledContract {
  return compileOrThrow(contractYaml({ upstream: '', identity, fields }, id), `vendors/${id}.yaml`);
}

/** Each vendor's SIP2 login in these tests: user `<id>-user`, password `<id>-secret`. */
export const vendorLogin = (id: string): string => `9300CN${id}-user|CO${id}-secret|CPvendor-desk|`;

export interface MediatorHarness {
  readonly port: number;
  /** The fake ILS (absent when the harness was given ilsAddress). */
  readonly ils: FakeIls;
  readonly metrics: GatewayMetrics;
  readonly logs: string[];
  metricsText(): Promise<string>;
  close(): Promise<void>;
}

export interface MediatorHarnessOptions {
  readonly contracts: ReadonlyArray<CompiledContract>;
  readonly ils?: FakeIlsOptions;
  readonly ilsTimeoutMs?: number;
  readonly loginFailures?: number;
  readonly pinFailures?: number;
  /** Connections to the ILS (default 2). */
  readonly pool?: number;
  /** An ILS already running (the benchmark's, in its own process) instead of a fake one here. */
  readonly ilsAddress?: { readonly host: string; readonly port: number };
  /** The mediator listens with TLS (PEM certificate and key). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Vendor connections at once (the listener's default when absent). */
  readonly maxConnections?: number;
}

/** A real mediator on loopback, in front of a real fake ILS, with a frozen clock and captured logs. */
export async function startMediator(options: MediatorHarnessOptions): Promise<MediatorHarness> {
  const ils = options.ilsAddress ? undefined : await startFakeIls(options.ils);
  const ilsAt = options.ilsAddress ?? { host: ils?.host ?? '127.0.0.1', port: ils?.port ?? 0 };
  const registry = new Registry();
  const contracts = new Map(options.contracts.map((c) => [c.id, c]));
  const metrics = createGatewayMetrics(registry, { version: 'test' }, contracts.values());
  const logs: string[] = [];
  const logger = createLogger({
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString('utf8'));
        callback();
      },
    }) as unknown as DestinationStream,
  });
  const clock = (): Date => NOW;
  // The SIP2 client's own pool, logged in with the gateway's account, as main.ts wires it.
  const pool = createSip2Pool({
    size: options.pool ?? 2,
    now: () => Date.now(),
    backoff: { initialMs: 5, maxMs: 20 },
    open: (signal) => openSip2Connection({ host: ilsAt.host, port: ilsAt.port, login: { user: 'scclient', password: 'clientpwd', location: 'gateway' } }, signal),
  });
  const client = createPoolIlsClient({
    pool,
    institution: 'UWOLS',
    dialect: { nameFormat: 'first last', birthDate: 'PB', patronType: 'PC', homeBranch: 'AQ' },
    timeoutMs: options.ilsTimeoutMs ?? 1000,
    now: () => clock().getTime(),
  });
  const key = Buffer.alloc(32, 7);
  const mediator = createSip2Mediator({
    contracts,
    logins: createVendorLogins(options.contracts.map((c) => ({ vendorId: c.id, user: Buffer.from(`${c.id}-user`), password: Buffer.from(`${c.id}-secret`) }))),
    ils: client,
    pseudonyms: createTestKeys(),
    metrics,
    logger,
    clock,
    loginLimiter: createLoginRateLimiter({ key, clientFailures: options.loginFailures ?? 10, clientWindowSeconds: 60, cardFailures: options.loginFailures ?? 10, cardWindowSeconds: 60 }),
    pinLimiter: createLoginRateLimiter({ key, clientFailures: 1000, clientWindowSeconds: 60, cardFailures: options.pinFailures ?? 10, cardWindowSeconds: 900 }),
  });
  const problems = mediator.validate();
  if (problems.length > 0) throw new Error(problems.join('; '));
  const server: Server = createSip2Listener(mediator, {
    ...(options.tls ? { tls: { cert: Buffer.from(options.tls.cert), key: Buffer.from(options.tls.key) } } : {}),
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    ils: ils as FakeIls,
    metrics,
    logs,
    metricsText: () => registry.metrics(),
    async close() {
      client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ils?.close();
    },
  };
}

/** A message with the error-detection trailer: `AY<sequence>AZ` and its checksum (computed independently of src/sip2). */
export function protect(body: string, sequence: number): string {
  const throughAz = `${body}AY${sequence}AZ`;
  return `${throughAz}${fakeChecksum(throughAz)}`;
}

export interface Conversation {
  /** The answers, in order, without their CR. */
  readonly answers: string[];
  /** Whether the mediator closed the connection. */
  readonly closed: boolean;
}

/**
 * Plays a vendor on a raw socket: sends each message (CR added) and waits for its one answer, or
 * for the connection to close; stops at the first message left unanswered.
 */
export function converse(port: number, messages: ReadonlyArray<string>, waitMs = 3000): Promise<Conversation> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const answers: string[] = [];
    let buffer = '';
    let next = 0;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answers, closed });
    };
    const sendNext = (): void => {
      if (next >= messages.length) return finish();
      socket.write(`${messages[next++]}\r`);
      clearTimeout(timer);
      timer = setTimeout(finish, waitMs);
    };
    socket.on('connect', sendNext);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let end = buffer.indexOf('\r');
      while (end >= 0) {
        answers.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 1);
        end = buffer.indexOf('\r');
        sendNext();
      }
    });
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => undefined);
  });
}

/** The variable fields of an answer after `offset`, without its trailer, as [id, value] pairs in order. */
export function readFields(answer: string, offset: number): Array<[string, string]> {
  const variable = answer.slice(offset).replace(/AY\dAZ[0-9A-F]{4}$/, '');
  return variable
    .split('|')
    .filter((segment) => segment.length >= 2)
    .map((segment) => [segment.slice(0, 2), segment.slice(2)]);
}

/** Whether an answer's checksum verifies (computed independently of src/sip2). */
export function verifies(answer: string): boolean {
  const match = /AZ([0-9A-F]{4})$/.exec(answer);
  return match !== null && fakeChecksum(answer.slice(0, -4)) === match[1];
}
