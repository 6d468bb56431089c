import { connect, type AddressInfo } from 'node:net';
import { createLoginRateLimiter } from '../../src/sessions/login-rate-limiter.ts';
import { connect as tlsConnect } from 'node:tls';
import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startSip2Channel } from '../../src/channels/sip2/start-sip2-channel.ts';
import type { CompiledContract } from '../../src/contracts/compiled-contract.ts';
import { createLogger } from '../../src/log/create-logger.ts';
import { createGatewayMetrics } from '../../src/metering/gateway-metrics.ts';
import { sip2PatronSettingsSchema } from '../../src/settings/patron-source-settings.ts';
import { createTestKeys, NOW } from '../helpers/contracts.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { readSample } from '../helpers/prometheus.ts';
import { createSelfSignedCertificate } from '../helpers/self-signed-cert.ts';
import { converse, protect, sip2Contract, vendorLogin } from '../helpers/sip2-mediator-harness.ts';

// startSip2Channel as app.ts calls it, with a clock the test moves: the ILS leg it wires (the
// gateway's own 93 and AO, the clock in each 63, the timeout), the throttles' limits and windows,
// a contract that ends during a session, startup problems, TLS, and close().

const LOOKUP = (pin: string, sequence: number, card = 'djfiander'): string => protect(`6300120240101    120000          AOVENDOR|AA${card}|AC|AD${pin}|`, sequence);
const MINUTE = 60_000;

interface Running {
  readonly port: number;
  readonly ils: FakeIls;
  readonly logs: string[];
  metricsText(): Promise<string>;
  setClock(at: Date): void;
  /** Closes the channel only (the fake ILS keeps running). */
  closeChannel(): void;
  close(): Promise<void>;
}

let running: Running | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(
  options: { contracts?: CompiledContract[]; sip2?: Record<string, unknown>; tls?: { cert: Buffer; key: Buffer }; ilsSlowMs?: number; ilsTls?: { cert: string; key: string }; noLogin?: boolean } = {},
): Promise<Running> {
  const ils = await startFakeIls({ login: { user: 'gw-user', password: 'gw-pass' }, slowMs: options.ilsSlowMs ?? 1000, ...(options.ilsTls ? { tls: options.ilsTls } : {}) });
  const contracts = options.contracts ?? [sip2Contract('wired-sip')];
  let clock = NOW;
  const logs: string[] = [];
  const logger = createLogger({
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        logs.push(chunk.toString('utf8'));
        callback();
      },
    }) as unknown as DestinationStream,
  });
  const registry = new Registry();
  const byId = new Map(contracts.map((contract) => [contract.id, contract]));
  const open = (): ReturnType<typeof startSip2Channel> => startSip2Channel(
    {
      host: '127.0.0.1',
      port: 0,
      ...(options.tls ? { tls: options.tls } : {}),
      vendors: contracts.map((contract) => ({ vendorId: contract.id, user: Buffer.from(`${contract.id}-user`), password: Buffer.from(`${contract.id}-secret`) })),
      ilsPool: 1,
      ils: {
        settings: sip2PatronSettingsSchema.parse({ host: ils.host, port: ils.port, institution: 'GW-AO', location: 'gw-desk', timeoutMs: 300, pool: 1, ...options.sip2 }),
        ...(options.noLogin ? {} : { credentials: { user: 'gw-user', password: 'gw-pass' } }),
        ...(options.ilsTls ? { ca: Buffer.from(options.ilsTls.cert) } : {}),
      },
    },
    {
      contracts: byId,
      pseudonyms: createTestKeys(),
      metrics: createGatewayMetrics(registry, { version: 'test' }, byId.values()),
      logger,
      clock: () => clock,
      sessionKey: Buffer.alloc(32, 9),
      loginAttemptsPerMinute: 3,
      loginFailuresPerCard: 2,
      createLimiter: (_name, limiterOptions) => createLoginRateLimiter(limiterOptions),
    },
  );
  let channel: ReturnType<typeof startSip2Channel>;
  try {
    channel = open();
  } catch (error) {
    await ils.close();
    throw error;
  }
  await new Promise<void>((resolve) => channel.server.listen(channel.port, channel.host, resolve));
  return {
    port: (channel.server.address() as AddressInfo).port,
    ils,
    logs,
    metricsText: () => registry.metrics(),
    setClock(at) {
      clock = at;
    },
    closeChannel() {
      channel.close();
    },
    async close() {
      channel.close();
      await ils.close();
    },
  };
}

describe('the SIP2 channel as the gateway starts it', () => {
  it('asks the ILS of the settings under the gateway’s own login, location and AO, with the clock in each 63', async () => {
    running = await start();
    running.setClock(new Date('2026-12-03T04:05:06Z'));
    const talk = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)]);
    expect(talk.answers[1]).toMatch(/^64/);
    expect(running.ils.received.map((message) => message.code)).toEqual(['93', '99', '63']);
    expect(running.ils.received[0]?.text).toMatch(/^9300CNgw-user\|COgw-pass\|CPgw-desk\|/);
    expect(running.ils.received[2]?.text).toMatch(/^6300020261203 {3}Z040506 {10}AOGW-AO\|AAdjfiander\|AC\|AD6789\|/);
    expect(running.ils.received[2]?.text.slice(5, 23)).toBe('20261203   Z040506');
  });

  it('gives the ILS the settings’ timeout, then closes the vendor’s connection unanswered', async () => {
    running = await start({ ilsSlowMs: 3000 });
    running.ils.setFault('slow');
    const talk = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)], 2500);
    expect(talk.answers).toHaveLength(1);
    expect(talk.closed).toBe(true);
    expect(readSample(await running.metricsText(), 'gateway_upstream_errors_total', { vendor: 'wired-sip', kind: 'timeout', channel: 'sip2' })).toBe(1);
    // Until a lookup succeeds again, the mediator's own 98 says off-line.
    expect((await converse(running.port, [protect('9900302.00', 0)])).answers[0]).toMatch(/^98N/);
  });

  it('backs off after the ILS refuses the gateway’s login: a lookup right after does not reconnect', async () => {
    running = await start();
    running.ils.setFault('refuse-login');
    for (let attempt = 0; attempt < 2; attempt++) {
      const talk = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)]);
      expect(talk.closed).toBe(true);
      expect(talk.answers).toHaveLength(1);
    }
    expect(running.ils.connections()).toBe(1);
    expect(readSample(await running.metricsText(), 'gateway_upstream_errors_total', { vendor: 'wired-sip', kind: 'refused', channel: 'sip2' })).toBe(1);
  });

  it('without the gateway’s own credentials, asks the ILS without a 93', async () => {
    running = await start({ noLogin: true });
    const talk = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)]);
    expect(talk.answers[1]).toMatch(/^64/);
    expect(running.ils.received.map((message) => message.code)).toEqual(['99', '63']);
  });

  it('counts failed lookups per vendor address too, but only up to 100 times the per-card limit: 60 unknown cards from one address are all answered', async () => {
    running = await start();
    const answers: string[] = [];
    for (let card = 0; card < 61; card++) answers.push((await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('1', 1, `nosuch-${card}`)])).answers[1] ?? 'closed');
    expect(answers.filter((answer) => /BLN\|/.test(answer))).toHaveLength(61);
  });

  it('throttles wrong PINs per card after loginFailuresPerCard, for 15 minutes', async () => {
    running = await start();
    for (let attempt = 0; attempt < 2; attempt++) {
      const wrong = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('wrong', 1)]);
      expect(wrong.answers[1]).toMatch(/CQN\|/);
    }
    const throttled = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)]);
    expect(throttled.answers).toHaveLength(1);
    expect(throttled.closed).toBe(true);
    expect(running.ils.count('63')).toBe(2);
    running.setClock(new Date(NOW.getTime() + 14 * MINUTE));
    expect((await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)])).answers).toHaveLength(1);
    running.setClock(new Date(NOW.getTime() + 15 * MINUTE + 1000));
    expect((await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)])).answers[1]).toMatch(/CQY\|/);
  });

  it('throttles failed vendor logins per address after loginAttemptsPerMinute, for a minute; right logins are never counted', async () => {
    running = await start();
    for (let attempt = 0; attempt < 5; attempt++) expect((await converse(running.port, [protect(vendorLogin('wired-sip'), 0)])).answers).toEqual([expect.stringMatching(/^941/)]);
    for (let attempt = 0; attempt < 3; attempt++) expect((await converse(running.port, [protect('9300CNnobody|COnothing|', 0)])).answers[0]).toMatch(/^940/);
    expect((await converse(running.port, [protect(vendorLogin('wired-sip'), 0)])).answers[0]).toMatch(/^940/);
    running.setClock(new Date(NOW.getTime() + 59_000));
    expect((await converse(running.port, [protect(vendorLogin('wired-sip'), 0)])).answers[0]).toMatch(/^940/);
    running.setClock(new Date(NOW.getTime() + MINUTE + 1000));
    expect((await converse(running.port, [protect(vendorLogin('wired-sip'), 0)])).answers[0]).toMatch(/^941/);
  });

  it('a contract that ends during a vendor’s session answers no more lookups (vendor_closed), and the ILS is not asked', async () => {
    running = await start();
    // The contract runs to the end of its expiry day, 2027-12-31.
    running.setClock(new Date('2027-12-31T23:00:00Z'));
    // One connection: log in while in force, then ask after the end.
    const outcome = await new Promise<{ answers: string[]; closed: boolean }>((resolve) => {
      const socket = connect(running?.port ?? 0, '127.0.0.1');
      const answers: string[] = [];
      let buffer = '';
      socket.on('connect', () => socket.write(`${protect(vendorLogin('wired-sip'), 0)}\r`));
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\r');
        buffer = parts.pop() ?? '';
        answers.push(...parts);
        if (answers.length === 1) {
          running?.setClock(new Date('2028-01-01T01:00:00Z'));
          socket.write(`${LOOKUP('6789', 1)}\r`);
        }
      });
      socket.on('close', () => resolve({ answers, closed: true }));
      socket.on('error', () => undefined);
      setTimeout(() => {
        socket.destroy();
        resolve({ answers, closed: false });
      }, 3000);
    });
    expect(outcome.answers).toHaveLength(1);
    expect(outcome.closed).toBe(true);
    expect(running.ils.count('63')).toBe(0);
    expect(readSample(await running.metricsText(), 'gateway_requests_total', { vendor: 'wired-sip', outcome: 'vendor_closed', channel: 'sip2' })).toBe(1);
  });

  it('listens with TLS when the setup has a certificate: plain SIP2 gets nothing', async () => {
    const certificate = createSelfSignedCertificate('mediator.test');
    try {
      running = await start({ tls: { cert: Buffer.from(certificate.cert), key: Buffer.from(certificate.key) } });
      const plain = await converse(running.port, [protect(vendorLogin('wired-sip'), 0)], 1000);
      expect(plain.answers).toEqual([]);
      const port = running.port;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tlsConnect({ port, host: '127.0.0.1', ca: certificate.cert, servername: 'mediator.test', maxVersion: 'TLSv1.2' });
        socket.on('error', reject);
        socket.on('secureConnect', () => socket.write(`${protect(vendorLogin('wired-sip'), 0)}\r`));
        socket.on('data', (chunk: Buffer) => {
          resolve(chunk.toString('utf8'));
          socket.destroy();
        });
      });
      expect(answer).toMatch(/^941AY0/);
    } finally {
      certificate.remove();
    }
  });

  it('close() stops listening and closes the connections to the ILS', async () => {
    running = await start();
    await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)]);
    expect(running.ils.openConnections()).toBe(1);
    running.closeChannel();
    const after = await converse(running.port, [protect(vendorLogin('wired-sip'), 0)], 500);
    expect(after.answers).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running.ils.openConnections()).toBe(0);
  });

  it('reaches an ILS over TLS with the CA and server name of the settings', async () => {
    const certificate = createSelfSignedCertificate('ils.test');
    try {
      running = await start({ ilsTls: { cert: certificate.cert, key: certificate.key }, sip2: { tls: true, servername: 'ils.test' } });
      const talk = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)]);
      expect(talk.answers[1]).toMatch(/^64.*CQY\|/);
    } finally {
      certificate.remove();
    }
  });

  it('with a dialect patronId field the ILS does not send, a valid card is an ILS fault (bad_status), never a patron without an id', async () => {
    running = await start({ sip2: { dialect: { patronId: 'XI' } } });
    const talk = await converse(running.port, [protect(vendorLogin('wired-sip'), 0), LOOKUP('6789', 1)]);
    expect(talk.answers).toHaveLength(1);
    expect(talk.closed).toBe(true);
    expect(readSample(await running.metricsText(), 'gateway_upstream_errors_total', { vendor: 'wired-sip', kind: 'bad_status', channel: 'sip2' })).toBe(1);
  });

  it('a handler that fails (here: a clock that cannot be written as a SIP2 date) closes only that connection, counted as internal_error', async () => {
    running = await start();
    running.setClock(new Date(Number.NaN));
    const broken = await converse(running.port, [protect('9900302.00', 0)]);
    expect(broken.answers).toEqual([]);
    expect(broken.closed).toBe(true);
    expect(readSample(await running.metricsText(), 'gateway_requests_total', { vendor: '_unknown', outcome: 'internal_error', channel: 'sip2' })).toBe(1);
    expect(running.logs.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(expect.objectContaining({ msg: 'sip2 handler failed', vendor: '_unknown', code: 'internal' }));
    running.setClock(NOW);
    // On-line from the start: no lookup has failed.
    expect((await converse(running.port, [protect('9900302.00', 0)])).answers[0]).toMatch(/^98Y/);
  });

  it('refuses to start with a sip2 contract that lacks its compiled sip2 part, naming the vendor', async () => {
    const broken = (id: string): CompiledContract => {
      const contract = sip2Contract(id);
      return { ...contract, identity: { ...contract.identity, sip2: undefined } } as CompiledContract;
    };
    await expect(start({ contracts: [broken('broken-sip'), broken('other-sip')] })).rejects.toThrow(
      'the SIP2 mediator cannot start: broken-sip: sip2 delivery without its compiled sip2 part; other-sip: sip2 delivery without its compiled sip2 part',
    );
  });
});
