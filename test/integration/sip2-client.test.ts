import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BLANK_SUMMARY, type PatronInformationRequest } from '../../src/sip2/messages/patron-information.ts';
import { Sip2ClientError } from '../../src/sip2/sip2-client-error.ts';
import { createSip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection, type Sip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { signed, startScriptedServer, type ScriptedServer } from '../helpers/scripted-sip2-server.ts';

const REQUEST: PatronInformationRequest = { code: '63', language: '000', transactionDate: '20261129   Z120000', summary: BLANK_SUMMARY, institutionId: 'UWOLS', patronIdentifier: 'djfiander', terminalPassword: '', patronPassword: '6789' };
const ANSWER_64 = '64  Y           00020261129    061540000000000000000000000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQY|';

let server: ScriptedServer | undefined;
let ils: FakeIls | undefined;
let connection: Sip2Connection | undefined;
afterEach(async () => {
  connection?.close();
  connection = undefined;
  await server?.close();
  server = undefined;
  await ils?.close();
  ils = undefined;
});

/** A server that answers 93/99 normally, then lets `patron` answer each later line. */
async function scripted(patron: (line: string, index: number, socket: Socket) => void): Promise<ScriptedServer> {
  return startScriptedServer((line, index, socket) => {
    const ay = /AY(\d)AZ/.exec(line)?.[1] ?? '0';
    if (line.startsWith('99')) socket.write(`${signed(`98YNNYNN600003${REQUEST.transactionDate}2.00AOUWOLS|AY${ay}AZ`)}\r`);
    else patron(line, index, socket);
  });
}

const openTo = (port: number): Promise<Sip2Connection> => openSip2Connection({ host: '127.0.0.1', port });

describe('the SIP2 client connection', () => {
  it('numbers requests 0, 1, 2... wrapping after 9, and every request carries a checksum that verifies', async () => {
    ils = await startFakeIls();
    connection = await openSip2Connection({ host: ils.host, port: ils.port, login: { user: 'scclient', password: 'clientpwd' } });
    for (let index = 0; index < 10; index++) expect((await connection.exchange(REQUEST, '64')).code).toBe('64');
    const sequences = ils.received.map((message) => /AY(\d)AZ[0-9A-F]{4}$/.exec(message.text)?.[1]);
    expect(sequences).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '1']);
  });

  it('answers a bad checksum with 97 and accepts the resent answer (re-stamped AY0, as SIPServer does)', async () => {
    server = await scripted((line, index, socket) => {
      if (line === '97AZFEF5') socket.write(`${signed(`${ANSWER_64}AY0AZ`)}\r`);
      else socket.write(`${ANSWER_64}AY${/AY(\d)/.exec(line)?.[1]}AZ0000\r`);
    });
    connection = await openTo(server.port);
    expect(await connection.exchange(REQUEST, '64')).toMatchObject({ validPatron: true, validPatronPassword: true });
    expect(server.lines.at(-1)).toBe('97AZFEF5');
  });

  it('resends its request once when the server answers 96 (our checksum was not accepted)', async () => {
    let seen = 0;
    server = await scripted((line, _index, socket) => {
      seen++;
      if (seen === 1) socket.write('96AZFEF6\r');
      else socket.write(`${signed(`${ANSWER_64}AY${/AY(\d)/.exec(line)?.[1]}AZ`)}\r`);
    });
    connection = await openTo(server.port);
    expect((await connection.exchange(REQUEST, '64')).code).toBe('64');
    expect(server.lines.slice(-2)[0]).toBe(server.lines.slice(-2)[1]);
  });

  it.each<[string, (line: string, socket: Socket) => void, string]>([
    ['a checksum that stays wrong after the 97', (line, socket) => socket.write(`${ANSWER_64}AY${line.startsWith('97') ? 0 : /AY(\d)/.exec(line)?.[1]}AZ0000\r`), 'bad_checksum'],
    ['96 twice', (_line, socket) => socket.write('96AZFEF6\r'), 'garbage'],
    ['another sequence number', (_line, socket) => socket.write(`${signed(`${ANSWER_64}AY7AZ`)}\r`), 'sequence_mismatch'],
    ['another message type', (line, socket) => socket.write(`${signed(`941AY${/AY(\d)/.exec(line)?.[1]}AZ`)}\r`), 'garbage'],
    ['two answers to one request (the second would answer the next request)', (line, socket) => {
      const answer = `${signed(`${ANSWER_64}AY${/AY(\d)/.exec(line)?.[1]}AZ`)}\r`;
      socket.write(answer + answer);
    }, 'garbage'],
    ['a message past the cap without a terminator', (_line, socket) => socket.write('64'.padEnd(20_000, 'x')), 'garbage'],
    ['a close before answering', (_line, socket) => socket.destroy(), 'closed'],
  ])('fails on %s, and closes the connection (a late answer must never be read as the next one)', async (_name, patron, reason) => {
    server = await scripted((line, _index, socket) => patron(line, socket));
    connection = await openTo(server.port);
    const error = await connection.exchange(REQUEST, '64').then(() => undefined, (caught: unknown) => caught);
    // Two answers to one request: the first is read, the second makes the connection unusable.
    if (reason === 'garbage' && error === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(connection.isOpen()).toBe(false);
      return;
    }
    expect(error).toBeInstanceOf(Sip2ClientError);
    expect((error as Sip2ClientError).reason).toBe(reason);
    expect(connection.isOpen()).toBe(false);
  });

  it('times out through the signal and closes the connection', async () => {
    server = await scripted(() => undefined);
    connection = await openTo(server.port);
    const error = await connection.exchange(REQUEST, '64', AbortSignal.timeout(100)).catch((caught: unknown) => caught);
    expect((error as Sip2ClientError).reason).toBe('timeout');
    expect(connection.isOpen()).toBe(false);
  });

  it('refuses a second request while one is in flight (one request per connection)', async () => {
    server = await scripted(() => undefined);
    connection = await openTo(server.port);
    const first = connection.exchange(REQUEST, '64', AbortSignal.timeout(200)).catch(() => 'first failed');
    await expect(connection.exchange(REQUEST, '64')).rejects.toMatchObject({ reason: 'busy' });
    expect(await first).toBe('first failed');
  });

  it('fails to open when nothing listens (unreachable) and when the login is refused', async () => {
    ils = await startFakeIls();
    await expect(openSip2Connection({ host: ils.host, port: ils.port, login: { user: 'scclient', password: 'nope' } })).rejects.toMatchObject({ reason: 'login_refused' });
    const port = ils.port;
    await ils.stop();
    await expect(openTo(port)).rejects.toMatchObject({ reason: 'unreachable' });
    await expect(openSip2Connection({ host: '127.0.0.1', port }, AbortSignal.abort())).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('without error detection sends no trailer', async () => {
    ils = await startFakeIls();
    connection = await openSip2Connection({ host: ils.host, port: ils.port, errorDetection: false });
    expect(await connection.exchange(REQUEST, '64')).toMatchObject({ validPatron: true, validPatronPassword: true });
    expect(ils.received.map((message) => message.text).every((text) => !text.includes('AZ'))).toBe(true);
  });
});

describe('the SIP2 connection pool', () => {
  it('never opens more than `size` connections; requests beyond wait and are served in turn', async () => {
    ils = await startFakeIls({ slowMs: 30 });
    ils.setFault('slow');
    const target = ils;
    const pool = createSip2Pool({ size: 3, open: (signal) => openSip2Connection({ host: target.host, port: target.port }, signal) });
    const answers = await Promise.all(Array.from({ length: 12 }, () => pool.exchange(REQUEST, '64', AbortSignal.timeout(5000))));
    expect(answers.every((answer) => answer.validPatronPassword === true)).toBe(true);
    expect(ils.connections()).toBe(3);
    expect(pool.stats()).toMatchObject({ open: 3, idle: 3, waiting: 0 });
    pool.close();
    await expect(pool.exchange(REQUEST, '64')).rejects.toMatchObject({ reason: 'closed' });
  });

  it('refuses a request when too many are waiting (busy), and a waiter gives up at its deadline (timeout)', async () => {
    ils = await startFakeIls({ slowMs: 300 });
    ils.setFault('slow');
    const target = ils;
    const pool = createSip2Pool({ size: 1, maxWaiting: 1, open: (signal) => openSip2Connection({ host: target.host, port: target.port }, signal) });
    const first = pool.exchange(REQUEST, '64', AbortSignal.timeout(2000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const waiting = pool.exchange(REQUEST, '64', AbortSignal.timeout(100)).catch((error: unknown) => error);
    await expect(pool.exchange(REQUEST, '64', AbortSignal.timeout(100))).rejects.toMatchObject({ reason: 'busy' });
    expect(await waiting).toMatchObject({ reason: 'timeout' });
    expect((await first).code).toBe('64');
    pool.close();
  });

  it('backs off after a failed connect, doubling up to the cap, and fails fast meanwhile', async () => {
    let clock = 0;
    let opens = 0;
    const pool = createSip2Pool({
      size: 2,
      now: () => clock,
      backoff: { initialMs: 100, maxMs: 250 },
      open: async () => {
        opens++;
        throw new Sip2ClientError('unreachable');
      },
    });
    const attempt = (): Promise<unknown> => pool.exchange(REQUEST, '64').catch((error: unknown) => error);
    await attempt();
    expect(opens).toBe(1);
    clock = 99;
    expect(await attempt()).toMatchObject({ reason: 'unreachable' });
    expect(opens).toBe(1);
    clock = 100;
    await attempt();
    expect(opens).toBe(2);
    clock = 299;
    await attempt();
    expect(opens).toBe(2);
    clock = 300;
    await attempt();
    expect(opens).toBe(3);
    clock = 549;
    await attempt();
    expect(opens).toBe(3);
    clock = 550;
    await attempt();
    expect(opens).toBe(4);
    expect(pool.stats().open).toBe(0);
  });

  it('retries once on a fresh connection when a reused one turns out closed (an idle timeout at the ILS)', async () => {
    ils = await startFakeIls();
    const target = ils;
    const pool = createSip2Pool({ size: 1, open: (signal) => openSip2Connection({ host: target.host, port: target.port }, signal) });
    expect((await pool.exchange(REQUEST, '64')).code).toBe('64');
    ils.setFault('close');
    await expect(pool.exchange(REQUEST, '64')).rejects.toMatchObject({ reason: 'closed' });
    expect(ils.connections()).toBe(2);
    ils.setFault('none');
    expect((await pool.exchange(REQUEST, '64')).code).toBe('64');
    pool.close();
  });
});
