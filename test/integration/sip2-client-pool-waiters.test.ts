import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Sip2ClientError } from '../../src/sip2/sip2-client-error.ts';
import { createSip2Pool, type Sip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { signed, startScriptedServer, type ScriptedServer } from '../helpers/scripted-sip2-server.ts';
import { ANSWER_64, pause, poolTo, REQUEST, sequenceOf, settle, STATUS_98 } from '../helpers/sip2-pool-fixtures.ts';

// The pool's queue over real connections: who waits, who is woken and when, what a closed pool
// does with connections still in use, and the default bounds (queue length, backoff).

let ils: FakeIls | undefined;
let server: ScriptedServer | undefined;
let pool: Sip2Pool | undefined;
afterEach(async () => {
  pool?.close();
  pool = undefined;
  await ils?.close();
  ils = undefined;
  await server?.close();
  server = undefined;
});

describe('the SIP2 connection pool’s queue', () => {
  it('lets 100 requests per connection wait by default; the next one is refused at once (busy); closing the pool ends the waiters (closed)', async () => {
    ils = await startFakeIls();
    ils.setFault('hang');
    pool = poolTo(ils, 1);
    const first = new AbortController();
    const inFlight = settle(pool.exchange(REQUEST, '64', first.signal));
    await pause(50);
    const waiters = Array.from({ length: 100 }, () => settle(pool?.exchange(REQUEST, '64', AbortSignal.timeout(5000)) ?? Promise.resolve()));
    expect(pool.stats()).toMatchObject({ open: 1, waiting: 100 });
    expect(await settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(5000)))).toMatchObject({ reason: 'busy' });
    pool.close();
    const ended = await Promise.all(waiters);
    expect(ended.every((error) => error instanceof Sip2ClientError && error.reason === 'closed')).toBe(true);
    expect(pool.stats().waiting).toBe(0);
    first.abort();
    expect(await inFlight).toMatchObject({ reason: 'timeout' });
  });

  it('a waiter that gives up leaves the queue: the connection then goes back to idle and serves the next request', async () => {
    ils = await startFakeIls({ slowMs: 200 });
    ils.setFault('slow');
    pool = poolTo(ils, 1);
    const first = pool.exchange(REQUEST, '64', AbortSignal.timeout(3000));
    await pause(30);
    expect(await settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(50)))).toMatchObject({ reason: 'timeout' });
    expect(pool.stats().waiting).toBe(0);
    expect((await first).code).toBe('64');
    expect(pool.stats()).toEqual({ open: 1, idle: 1, waiting: 0 });
    ils.setFault('none');
    expect((await pool.exchange(REQUEST, '64', AbortSignal.timeout(3000))).code).toBe('64');
    expect(ils.connections()).toBe(1);
  });

  it('a request whose signal has already fired does not wait for a busy connection (timeout, not queued)', async () => {
    ils = await startFakeIls({ slowMs: 150 });
    ils.setFault('slow');
    pool = poolTo(ils, 1);
    const first = pool.exchange(REQUEST, '64', AbortSignal.timeout(3000));
    await pause(30);
    expect(await settle(pool.exchange(REQUEST, '64', AbortSignal.abort()))).toMatchObject({ reason: 'timeout' });
    expect(pool.stats().waiting).toBe(0);
    expect((await first).code).toBe('64');
    // The connection was never handed to the request that gave up: it is still open and idle.
    await pause(30);
    expect(pool.stats()).toEqual({ open: 1, idle: 1, waiting: 0 });
    expect(ils.openConnections()).toBe(1);
  });

  it('requests without a signal wait their turn and are served', async () => {
    ils = await startFakeIls({ slowMs: 50 });
    ils.setFault('slow');
    pool = poolTo(ils, 1);
    const answers = await Promise.all([pool.exchange(REQUEST, '64'), pool.exchange(REQUEST, '64'), pool.exchange(REQUEST, '64')]);
    expect(answers.map((answer) => answer.code)).toEqual(['64', '64', '64']);
    expect(ils.connections()).toBe(1);
  });

  it('a connection that fails while in use is dropped alone: the idle one stays in the pool and serves the retry', async () => {
    let closedOne: Socket | undefined;
    const requestsOn = new Map<Socket, number>();
    server = await startScriptedServer((line, _index, socket: Socket) => {
      if (line.startsWith('99')) {
        socket.write(`${signed(`${STATUS_98}AY${sequenceOf(line)}AZ`)}\r`);
        return;
      }
      const seen = (requestsOn.get(socket) ?? 0) + 1;
      requestsOn.set(socket, seen);
      // The first connection asked a second time is closed (an idle timeout at the ILS); the other answers.
      if (seen === 2 && closedOne === undefined) {
        closedOne = socket;
        socket.destroy();
      } else socket.write(`${signed(`${ANSWER_64}AY${sequenceOf(line)}AZ`)}\r`);
    });
    pool = poolTo({ host: '127.0.0.1', port: server.port }, 2);
    await Promise.all([pool.exchange(REQUEST, '64'), pool.exchange(REQUEST, '64')]);
    expect((await pool.exchange(REQUEST, '64')).code).toBe('64');
    expect(requestsOn.size).toBe(2);
    await pause(30);
    expect(pool.stats()).toEqual({ open: 1, idle: 1, waiting: 0 });
  });

  it('when the connection in use fails, a waiter is woken and opens a connection of its own (it does not wait for its deadline)', async () => {
    let patronRequests = 0;
    server = await startScriptedServer((line, _index, socket: Socket) => {
      if (line.startsWith('99')) socket.write(`${signed(`${STATUS_98}AY${sequenceOf(line)}AZ`)}\r`);
      else if (++patronRequests === 1) setTimeout(() => socket.destroy(), 50);
      else socket.write(`${signed(`${ANSWER_64}AY${sequenceOf(line)}AZ`)}\r`);
    });
    pool = poolTo({ host: '127.0.0.1', port: server.port }, 1);
    const failing = settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(3000)));
    await pause(10);
    const waiter = settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(3000)));
    expect(await failing).toMatchObject({ reason: 'closed' });
    expect(await waiter).toMatchObject({ code: '64', validPatronPassword: true });
    expect(pool.stats()).toEqual({ open: 1, idle: 1, waiting: 0 });
  });

  it('when opening a connection fails, a waiter is woken and fails fast while the pool backs off (unreachable, not its deadline)', async () => {
    server = await startScriptedServer((line, _index, socket: Socket) => {
      if (line.startsWith('93')) setTimeout(() => socket.write('940\r'), 80);
    });
    const target = server;
    pool = createSip2Pool({ size: 1, open: (signal) => openSip2Connection({ host: '127.0.0.1', port: target.port, login: { user: 'gateway', password: 'wrong' } }, signal) });
    const opening = settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(3000)));
    await pause(20);
    const waiter = settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(3000)));
    expect(await opening).toMatchObject({ reason: 'login_refused' });
    expect(await waiter).toMatchObject({ reason: 'unreachable' });
    expect(pool.stats()).toEqual({ open: 0, idle: 0, waiting: 0 });
  });

  it('a connection the ILS drops while idle is forgotten: not counted, and the next request opens a fresh one', async () => {
    ils = await startFakeIls();
    pool = poolTo(ils, 2);
    await Promise.all([pool.exchange(REQUEST, '64'), pool.exchange(REQUEST, '64')]);
    expect(pool.stats()).toEqual({ open: 2, idle: 2, waiting: 0 });
    ils.dropConnections();
    await pause(50);
    expect(pool.stats()).toEqual({ open: 0, idle: 0, waiting: 0 });
    expect((await pool.exchange(REQUEST, '64')).code).toBe('64');
    expect(ils.connections()).toBe(3);
  });

  it('a connection still in use when the pool closes is closed after its answer, not kept', async () => {
    ils = await startFakeIls({ slowMs: 100 });
    ils.setFault('slow');
    pool = poolTo(ils, 1);
    const answer = pool.exchange(REQUEST, '64', AbortSignal.timeout(3000));
    await pause(30);
    pool.close();
    expect((await answer).code).toBe('64');
    await pause(50);
    expect(ils.openConnections()).toBe(0);
    expect(pool.stats()).toEqual({ open: 0, idle: 0, waiting: 0 });
  });
});

describe('the SIP2 connection pool’s backoff', () => {
  it('waits 200 ms after a first failed connect by default, doubling up to 10 s', async () => {
    let clock = 0;
    let opens = 0;
    pool = createSip2Pool({
      size: 1,
      now: () => clock,
      open: async () => {
        opens++;
        throw new Sip2ClientError('unreachable');
      },
    });
    await settle(pool.exchange(REQUEST, '64'));
    expect(opens).toBe(1);
    // Each wait, then the attempt it allows fails again and starts the next, doubled wait.
    for (const wait of [200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]) {
      const before = opens;
      const failedAt = clock;
      clock = failedAt + wait - 1;
      expect(await settle(pool.exchange(REQUEST, '64'))).toMatchObject({ reason: 'unreachable' });
      expect(opens).toBe(before);
      clock = failedAt + wait;
      await settle(pool.exchange(REQUEST, '64'));
      expect(opens).toBe(before + 1);
    }
  });

  it('a connection that opens ends the backoff: the next failure waits the first interval again, not a doubled one', async () => {
    ils = await startFakeIls();
    const target = ils;
    let clock = 0;
    let opens = 0;
    let failOpen = true;
    pool = createSip2Pool({
      size: 1,
      now: () => clock,
      backoff: { initialMs: 100, maxMs: 1000 },
      open: (signal) => {
        opens++;
        if (failOpen) return Promise.reject(new Sip2ClientError('unreachable'));
        return openSip2Connection({ host: target.host, port: target.port }, signal);
      },
    });
    await settle(pool.exchange(REQUEST, '64'));
    clock = 100;
    await settle(pool.exchange(REQUEST, '64'));
    expect(opens).toBe(2);
    clock = 300;
    failOpen = false;
    expect((await pool.exchange(REQUEST, '64')).code).toBe('64');
    expect(opens).toBe(3);
    ils.dropConnections();
    await pause(50);
    failOpen = true;
    await settle(pool.exchange(REQUEST, '64'));
    expect(opens).toBe(4);
    clock = 400;
    await settle(pool.exchange(REQUEST, '64'));
    expect(opens).toBe(5);
  });
});
