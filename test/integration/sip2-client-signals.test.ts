import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BLANK_SUMMARY, type PatronInformationRequest } from '../../src/sip2/messages/patron-information.ts';
import { Sip2ClientError } from '../../src/sip2/sip2-client-error.ts';
import { openSip2Connection, type Sip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';

// The client connection and its AbortSignal: a signal that fires while the connection is being
// made, or before or during a request, ends that work with `timeout` and closes the connection; a
// signal that fires after the work is done must do nothing at all (the pool reuses the connection).

const REQUEST: PatronInformationRequest = { code: '63', language: '000', transactionDate: '20261129   Z120000', summary: BLANK_SUMMARY, institutionId: 'UWOLS', patronIdentifier: 'djfiander', terminalPassword: '', patronPassword: '6789' };
const LOGIN = { user: 'scclient', password: 'clientpwd' };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let ils: FakeIls | undefined;
let silent: Server | undefined;
let silentSockets = new Set<Socket>();
let connection: Sip2Connection | undefined;
afterEach(async () => {
  connection?.close();
  connection = undefined;
  await ils?.close();
  ils = undefined;
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  silent = undefined;
});

/** A TCP server that accepts connections and never writes a byte (no TLS handshake, no answer). */
async function startSilentServer(): Promise<{ port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  silentSockets = sockets;
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const server = silent;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, sockets };
}

async function reasonOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (error === undefined) return undefined;
  expect(error).toBeInstanceOf(Sip2ClientError);
  return (error as Sip2ClientError).reason;
}

describe('the SIP2 client connection and its abort signal', () => {
  it('a signal that fires after the connection opened (the open’s deadline) leaves it open and usable', async () => {
    ils = await startFakeIls();
    connection = await openSip2Connection({ host: ils.host, port: ils.port, login: LOGIN }, AbortSignal.timeout(80));
    await pause(200);
    expect(connection.isOpen()).toBe(true);
    expect(await connection.exchange(REQUEST, '64')).toMatchObject({ validPatron: true, validPatronPassword: true });
    expect(ils.openConnections()).toBe(1);
  });

  it('a signal that fires after a request was answered leaves the connection open for the next request', async () => {
    ils = await startFakeIls();
    connection = await openSip2Connection({ host: ils.host, port: ils.port });
    expect((await connection.exchange(REQUEST, '64', AbortSignal.timeout(80))).code).toBe('64');
    await pause(200);
    expect(connection.isOpen()).toBe(true);
    expect((await connection.exchange(REQUEST, '64')).code).toBe('64');
  });

  it('a TLS handshake that never completes ends with timeout at the signal, and the socket is closed', async () => {
    const server = await startSilentServer();
    const reason = await reasonOf(openSip2Connection({ host: '127.0.0.1', port: server.port, tls: { servername: 'ils.test' } }, AbortSignal.timeout(150)));
    expect(reason).toBe('timeout');
    await pause(50);
    expect(server.sockets.size).toBe(0);
  });

  it('a login that is never answered ends with timeout at the signal, and the connection is closed', async () => {
    const server = await startSilentServer();
    const reason = await reasonOf(openSip2Connection({ host: '127.0.0.1', port: server.port, login: LOGIN }, AbortSignal.timeout(150)));
    expect(reason).toBe('timeout');
    await pause(50);
    expect(server.sockets.size).toBe(0);
  });

  it('a request whose signal has already fired is not sent: timeout, and the connection closes', async () => {
    ils = await startFakeIls();
    connection = await openSip2Connection({ host: ils.host, port: ils.port });
    const before = ils.received.length;
    expect(await reasonOf(connection.exchange(REQUEST, '64', AbortSignal.abort()))).toBe('timeout');
    expect(connection.isOpen()).toBe(false);
    await pause(30);
    expect(ils.received.length).toBe(before);
  });

  it('a request on a connection the ILS has closed fails with closed, without writing', async () => {
    ils = await startFakeIls();
    connection = await openSip2Connection({ host: ils.host, port: ils.port });
    const closedNow = new Promise<void>((resolve) => connection?.onClose(resolve));
    ils.dropConnections();
    await closedNow;
    expect(connection.isOpen()).toBe(false);
    expect(await reasonOf(connection.exchange(REQUEST, '64'))).toBe('closed');
  });

  it('close() makes isOpen() false at once, and calls the close listeners once (a late listener at once)', async () => {
    ils = await startFakeIls();
    connection = await openSip2Connection({ host: ils.host, port: ils.port });
    let calls = 0;
    connection.onClose(() => calls++);
    connection.close();
    expect(connection.isOpen()).toBe(false);
    await pause(30);
    expect(calls).toBe(1);
    let late = 0;
    connection.onClose(() => late++);
    expect(late).toBe(1);
    expect(calls).toBe(1);
  });

  it('a refused login closes the connection it was made on', async () => {
    ils = await startFakeIls();
    ils.setFault('refuse-login');
    expect(await reasonOf(openSip2Connection({ host: ils.host, port: ils.port, login: LOGIN }))).toBe('login_refused');
    await pause(50);
    expect(ils.connections()).toBe(1);
    expect(ils.openConnections()).toBe(0);
  });

  it('a refused connection is unreachable, with the system error as its cause (for the operator, never in a response)', async () => {
    const server = await startSilentServer();
    const port = server.port;
    await new Promise<void>((resolve) => silent?.close(() => resolve()));
    silent = undefined;
    const error = await openSip2Connection({ host: '127.0.0.1', port }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'unreachable' });
    expect((error as Sip2ClientError).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

