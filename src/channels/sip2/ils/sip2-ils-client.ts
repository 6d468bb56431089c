import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { createSip2Framer } from '../../../sip2/framer.ts';
import { BLANK_SUMMARY } from '../../../sip2/messages/patron-information.ts';
import { parseSip2Message } from '../../../sip2/parse-message.ts';
import { renderSip2Message } from '../../../sip2/render-message.ts';
import { nextSequence, type Sip2Sequence } from '../../../sip2/sequence.ts';
import { formatSip2Date } from '../../../sip2/sip2-date.ts';
import type { Sip2Message } from '../../../sip2/sip2-message.ts';
import { type IlsClient, type IlsLookup, IlsUnavailableError } from './ils-client.ts';
import { readIlsAnswer, type IlsDialect } from './read-ils-answer.ts';

export interface Sip2IlsClientOptions {
  readonly host: string;
  readonly port: number;
  /** Connect with TLS (optionally with a CA and server name). */
  readonly tls?: { readonly ca?: Buffer; readonly servername?: string } | undefined;
  /** The gateway's own 93 login; none: no login is sent. */
  readonly login?: { readonly user: string; readonly password: string; readonly location?: string } | undefined;
  /** AO sent upstream. */
  readonly institution: string;
  readonly timeoutMs: number;
  /** Persistent connections at most. */
  readonly pool: number;
  readonly dialect: IlsDialect;
  readonly clock: () => Date;
}

/** Lookups waiting for a connection, at most (beyond that the ILS is treated as unable to answer). */
const MAX_WAITING = 10_000;

interface Connection {
  readonly socket: Socket;
  sequence: Sip2Sequence;
  busy: boolean;
  ready: Promise<void>;
  /** The answer being waited for. */
  waiter: ((message: Sip2Message | Error) => void) | undefined;
}

/**
 * A SIP2 client for the mediator's upstream leg: a bounded pool of persistent connections, each
 * logged in with the gateway's own 93 and carrying one request at a time, with a timeout per
 * request. Always asks with a 63, a blank summary and protocol 2.00 behaviour, so BL and CQ come
 * back. Any fault (refused, reset, timeout, garbage, a wrong sequence number) closes that
 * connection and rejects with IlsUnavailableError; the next lookup opens a fresh one.
 */
export function createSip2IlsClient(options: Sip2IlsClientOptions): IlsClient {
  const connections = new Set<Connection>();
  const waiting: Array<(connection: Connection | Error) => void> = [];
  let closed = false;

  function open(): Connection {
    const socket = options.tls ? connectTls({ host: options.host, port: options.port, ...options.tls }) : connectTcp({ host: options.host, port: options.port });
    socket.setNoDelay(true);
    const framer = createSip2Framer();
    const connection: Connection = { socket, sequence: 0, busy: true, ready: Promise.resolve(), waiter: undefined };
    const fail = (error: Error): void => {
      connections.delete(connection);
      socket.destroy();
      const waiter = connection.waiter;
      connection.waiter = undefined;
      waiter?.(error);
    };
    socket.on('data', (chunk: Buffer) => {
      const framed = framer.push(chunk);
      if (framed.overflow) return fail(new IlsUnavailableError('bad_status'));
      for (const bytes of framed.messages) {
        const waiter = connection.waiter;
        connection.waiter = undefined;
        if (waiter === undefined) return fail(new IlsUnavailableError('bad_status'));
        const parsed = parseSip2Message(bytes);
        if (!parsed.ok || (parsed.sequence !== undefined && parsed.sequence !== connection.sequence)) {
          fail(new IlsUnavailableError('bad_status'));
          waiter(new IlsUnavailableError('bad_status'));
          return;
        }
        waiter(parsed.message);
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => fail(new IlsUnavailableError(error.code === 'ECONNREFUSED' ? 'refused' : 'reset')));
    socket.on('close', () => fail(new IlsUnavailableError('reset')));
    connections.add(connection);
    const login = options.login;
    connection.ready = login
      ? exchange(connection, { code: '93', uidAlgorithm: '0', pwdAlgorithm: '0', loginUserId: login.user, loginPassword: login.password, ...(login.location !== undefined ? { locationCode: login.location } : {}) }).then((answer) => {
          if (answer.code !== '94' || !answer.ok) {
            fail(new IlsUnavailableError('bad_status'));
            throw new IlsUnavailableError('bad_status');
          }
        })
      : Promise.resolve();
    return connection;
  }

  /** Sends one message on a connection and waits for its answer, within the timeout. */
  function exchange(connection: Connection, message: Sip2Message): Promise<Sip2Message> {
    return new Promise<Sip2Message>((resolve, reject) => {
      const timer = setTimeout(() => {
        connection.waiter = undefined;
        connections.delete(connection);
        connection.socket.destroy();
        reject(new IlsUnavailableError('timeout'));
      }, options.timeoutMs);
      connection.waiter = (answer) => {
        clearTimeout(timer);
        if (answer instanceof Error) reject(answer);
        else resolve(answer);
      };
      connection.sequence = nextSequence(connection.sequence);
      connection.socket.write(renderSip2Message(message, { errorDetection: true, sequence: connection.sequence }));
    });
  }

  function acquire(): Promise<Connection> {
    if (closed) return Promise.reject(new IlsUnavailableError('refused'));
    for (const connection of connections) {
      if (!connection.busy) {
        connection.busy = true;
        return Promise.resolve(connection);
      }
    }
    if (connections.size < options.pool) return Promise.resolve(open());
    if (waiting.length >= MAX_WAITING) return Promise.reject(new IlsUnavailableError('timeout'));
    return new Promise((resolve, reject) => waiting.push((next) => (next instanceof Error ? reject(next) : resolve(next))));
  }

  function release(connection: Connection): void {
    const next = waiting.shift();
    if (!connections.has(connection)) {
      // The connection failed: a waiting lookup gets a fresh one.
      if (next) next(connections.size < options.pool && !closed ? open() : new IlsUnavailableError('reset'));
      return;
    }
    if (next) next(connection);
    else connection.busy = false;
  }

  return {
    async lookupPatron(barcode: string, pin: string | undefined): Promise<IlsLookup> {
      const connection = await acquire();
      try {
        await connection.ready;
        const answer = await exchange(connection, {
          code: '63',
          language: '000',
          transactionDate: formatSip2Date(options.clock().getTime()),
          summary: BLANK_SUMMARY,
          institutionId: options.institution,
          patronIdentifier: barcode,
          terminalPassword: '',
          ...(pin !== undefined ? { patronPassword: pin } : {}),
        });
        if (answer.code !== '64') throw new IlsUnavailableError('bad_status');
        return readIlsAnswer(answer, barcode, pin !== undefined, options.dialect);
      } catch (error) {
        connections.delete(connection);
        connection.socket.destroy();
        throw error instanceof IlsUnavailableError ? error : new IlsUnavailableError('bad_status');
      } finally {
        release(connection);
      }
    },
    close() {
      closed = true;
      for (const connection of connections) connection.socket.destroy();
      connections.clear();
      for (const next of waiting.splice(0)) next(new IlsUnavailableError('refused'));
    },
  };
}
