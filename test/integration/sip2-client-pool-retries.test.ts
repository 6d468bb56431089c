import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Sip2ClientError } from '../../src/sip2/sip2-client-error.ts';
import { createSip2Pool, type Sip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { signed, startScriptedServer, type ScriptedServer } from '../helpers/scripted-sip2-server.ts';
import { ANSWER_64, pause, poolTo, REQUEST, sequenceOf, settle, STATUS_98 } from '../helpers/sip2-pool-fixtures.ts';

// When the pool asks again, and when it does not: only a reused connection that turns out closed
// (an idle timeout at the ILS) is worth one more try, on another connection; a fresh connection
// that closes, or any other failure, is the answer. Also: the errors that come out are the
// connection's own, and closing the pool closes what it holds.

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

describe('the SIP2 connection pool asks again only for a stale connection', () => {
  it('a fresh connection that closes before answering is not retried: closed, one request sent', async () => {
    ils = await startFakeIls();
    ils.setFault('close');
    pool = poolTo(ils, 1);
    expect(await settle(pool.exchange(REQUEST, '64'))).toMatchObject({ reason: 'closed' });
    expect(ils.count('63')).toBe(1);
    expect(ils.connections()).toBe(1);
  });

  it('a reused connection that answers garbage is not retried: garbage, on that one connection', async () => {
    ils = await startFakeIls();
    pool = poolTo(ils, 1);
    expect((await pool.exchange(REQUEST, '64')).code).toBe('64');
    ils.setFault('garbage');
    expect(await settle(pool.exchange(REQUEST, '64'))).toMatchObject({ reason: 'garbage' });
    expect(ils.count('63')).toBe(2);
    expect(ils.connections()).toBe(1);
  });

  it('two stale idle connections: the request tries the second after the first, then gives up (one retry, no new connection)', async () => {
    ils = await startFakeIls();
    pool = poolTo(ils, 2);
    await Promise.all([pool.exchange(REQUEST, '64'), pool.exchange(REQUEST, '64')]);
    ils.setFault('close');
    expect(await settle(pool.exchange(REQUEST, '64'))).toMatchObject({ reason: 'closed' });
    expect(ils.count('63')).toBe(4);
    expect(ils.connections()).toBe(2);
  });

  it('a connection handed to a waiter counts as reused: when it turns out closed, the waiter is served on a fresh one', async () => {
    const perConnection = new Map<Socket, number>();
    server = await startScriptedServer((line, _index, socket) => {
      if (line.startsWith('99')) {
        socket.write(`${signed(`${STATUS_98}AY${sequenceOf(line)}AZ`)}\r`);
        return;
      }
      const seen = (perConnection.get(socket) ?? 0) + 1;
      perConnection.set(socket, seen);
      const answer = `${signed(`${ANSWER_64}AY${sequenceOf(line)}AZ`)}\r`;
      // The first connection: a slow first answer, then it is closed when asked again.
      if (perConnection.size === 1 && seen === 1) setTimeout(() => socket.write(answer), 80);
      else if (perConnection.size === 1 && seen === 2) socket.destroy();
      else socket.write(answer);
    });
    pool = poolTo({ host: '127.0.0.1', port: server.port }, 1);
    const first = pool.exchange(REQUEST, '64', AbortSignal.timeout(3000));
    await pause(20);
    const waiter = settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(3000)));
    expect((await first).code).toBe('64');
    expect(await waiter).toMatchObject({ code: '64' });
    expect(perConnection.size).toBe(2);
  });
});

describe('the SIP2 connection pool’s errors and closing', () => {
  it('a failed open with nobody waiting rejects with the connection’s own reason', async () => {
    ils = await startFakeIls();
    ils.setFault('refuse-login');
    const target = ils;
    pool = createSip2Pool({ size: 1, open: (signal) => openSip2Connection({ host: target.host, port: target.port, login: { user: 'scclient', password: 'clientpwd' } }, signal) });
    const error = await settle(pool.exchange(REQUEST, '64'));
    expect(error).toBeInstanceOf(Sip2ClientError);
    expect(error).toMatchObject({ reason: 'login_refused' });
  });

  it('with its own clock, the pool does not try again right after a failed connect', async () => {
    let opens = 0;
    pool = createSip2Pool({
      size: 1,
      open: async () => {
        opens++;
        throw new Sip2ClientError('unreachable');
      },
    });
    await settle(pool.exchange(REQUEST, '64'));
    expect(await settle(pool.exchange(REQUEST, '64'))).toMatchObject({ reason: 'unreachable' });
    expect(opens).toBe(1);
  });

  it('a request whose signal has already fired leaves the other waiters in the queue', async () => {
    ils = await startFakeIls({ slowMs: 100 });
    ils.setFault('slow');
    pool = poolTo(ils, 1);
    const first = pool.exchange(REQUEST, '64', AbortSignal.timeout(3000));
    await pause(20);
    const waiter = settle(pool.exchange(REQUEST, '64', AbortSignal.timeout(3000)));
    await pause(5);
    expect(await settle(pool.exchange(REQUEST, '64', AbortSignal.abort()))).toMatchObject({ reason: 'timeout' });
    expect(pool.stats().waiting).toBe(1);
    expect((await first).code).toBe('64');
    expect(await waiter).toMatchObject({ code: '64' });
  });

  it('closing the pool closes its idle connections', async () => {
    ils = await startFakeIls();
    pool = poolTo(ils, 2);
    await Promise.all([pool.exchange(REQUEST, '64'), pool.exchange(REQUEST, '64')]);
    expect(ils.openConnections()).toBe(2);
    pool.close();
    await pause(50);
    expect(ils.openConnections()).toBe(0);
  });
});
