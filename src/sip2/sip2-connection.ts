/**
 * One client connection to a SIP2 server (the ILS): TCP or TLS, one request in flight, sequence
 * numbers and checksums, the gateway's own 93 login and a 99 asking for protocol 2.00 when it
 * opens. Any protocol error closes the connection: a late or stray answer must never be read as
 * the answer to the next request.
 */
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Sip2Encoding } from './encoding.ts';
import { createSip2Framer } from './framer.ts';
import { parseSip2Message } from './parse-message.ts';
import { renderSip2Message } from './render-message.ts';
import { nextSequence, type Sip2Sequence } from './sequence.ts';
import { Sip2ClientError } from './sip2-client-error.ts';
import type { Sip2Message, Sip2MessageCode, Sip2MessageOf } from './sip2-message.ts';

export interface Sip2ConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** TLS (with an optional CA to trust instead of the system's, and the name to verify). */
  readonly tls?: { readonly ca?: string | Buffer | undefined; readonly servername?: string | undefined } | undefined;
  /** The gateway's own SIP account; no 93 is sent without it. */
  readonly login?: { readonly user: string; readonly password: string; readonly location?: string | undefined } | undefined;
  /** Default true: AY and AZ on every request. */
  readonly errorDetection?: boolean;
  readonly encoding?: Sip2Encoding;
  readonly maxMessageBytes?: number;
}

export interface Sip2Connection {
  /** Sends one request and resolves to its answer, which must be of the `expected` type. */
  exchange<Code extends Sip2MessageCode>(message: Sip2Message, expected: Code, signal?: AbortSignal): Promise<Sip2MessageOf<Code>>;
  readonly isOpen: () => boolean;
  /** Called once when the connection closes, for whatever reason. */
  onClose(listener: () => void): void;
  close(): void;
}

/** How many times a wrong checksum is answered with 97 before giving up. */
const RESEND_ATTEMPTS = 1;

/** Opens, logs in and switches to protocol 2.00; rejects with a Sip2ClientError. */
export async function openSip2Connection(options: Sip2ConnectionOptions, signal?: AbortSignal): Promise<Sip2Connection> {
  const socket = await connectSocket(options, signal);
  const connection = wrapSocket(socket, options);
  try {
    if (options.login !== undefined) {
      const answer = await connection.exchange(
        { code: '93', uidAlgorithm: '0', pwdAlgorithm: '0', loginUserId: options.login.user, loginPassword: options.login.password, locationCode: options.login.location },
        '94',
        signal,
      );
      if (!answer.ok) throw new Sip2ClientError('login_refused');
    }
    await connection.exchange({ code: '99', statusCode: '0', maxPrintWidth: '000', protocolVersion: '2.00' }, '98', signal);
  } catch (error) {
    connection.close();
    throw error;
  }
  return connection;
}

function connectSocket(options: Sip2ConnectionOptions, signal: AbortSignal | undefined): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Sip2ClientError('timeout'));
      return;
    }
    const tls = options.tls;
    const socket: Socket =
      tls === undefined
        ? connectTcp({ host: options.host, port: options.port })
        : connectTls({
            host: options.host,
            port: options.port,
            ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
            // SNI carries names only; an IP host is still verified against the certificate.
            ...(tls.servername !== undefined ? { servername: tls.servername } : isIP(options.host) === 0 ? { servername: options.host } : {}),
            minVersion: 'TLSv1.2',
          });
    const onAbort = (): void => {
      socket.destroy();
      reject(new Sip2ClientError('timeout'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once(tls === undefined ? 'connect' : 'secureConnect', () => {
      signal?.removeEventListener('abort', onAbort);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(new Sip2ClientError('unreachable', { cause: error }));
    });
  });
}

interface Waiter {
  resolve(bytes: Uint8Array): void;
  reject(error: Sip2ClientError): void;
}

function wrapSocket(socket: Socket, options: Sip2ConnectionOptions): Sip2Connection {
  const errorDetection = options.errorDetection ?? true;
  const encoding = options.encoding ?? 'utf-8';
  const framer = createSip2Framer(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes });
  let sequence: Sip2Sequence = 9; // the first request carries 0
  let waiter: Waiter | undefined;
  let busy = false;
  let open = true;
  const closeListeners: Array<() => void> = [];

  const fail = (error: Sip2ClientError): void => {
    const current = waiter;
    waiter = undefined;
    socket.destroy();
    current?.reject(error);
  };

  socket.on('data', (chunk: Buffer) => {
    const framed = framer.push(chunk);
    if (framed.overflow) {
      fail(new Sip2ClientError('garbage'));
      return;
    }
    for (const message of framed.messages) {
      const current = waiter;
      // An answer nobody asked for: the stream can no longer be trusted.
      if (current === undefined) {
        fail(new Sip2ClientError('garbage'));
        return;
      }
      waiter = undefined;
      current.resolve(message);
    }
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    open = false;
    const current = waiter;
    waiter = undefined;
    current?.reject(new Sip2ClientError('closed'));
    for (const listener of closeListeners.splice(0)) listener();
  });

  const send = (wire: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> =>
    new Promise<Uint8Array>((resolve, reject) => {
      if (!open) {
        reject(new Sip2ClientError('closed'));
        return;
      }
      if (signal?.aborted) {
        fail(new Sip2ClientError('timeout'));
        reject(new Sip2ClientError('timeout'));
        return;
      }
      const onAbort = (): void => fail(new Sip2ClientError('timeout'));
      signal?.addEventListener('abort', onAbort, { once: true });
      waiter = {
        resolve: (bytes) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(bytes);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      socket.write(wire);
    });

  async function exchange<Code extends Sip2MessageCode>(message: Sip2Message, expected: Code, signal?: AbortSignal): Promise<Sip2MessageOf<Code>> {
    if (busy) throw new Sip2ClientError('busy');
    busy = true;
    try {
      sequence = nextSequence(sequence);
      const wire = renderSip2Message(message, { errorDetection, sequence, encoding });
      let answer = await send(wire, signal);
      for (let attempt = 0; ; attempt++) {
        const parsed = parseSip2Message(answer, { encoding });
        if (parsed.ok && parsed.message.code === '96' && attempt < RESEND_ATTEMPTS) {
          // The ILS did not like our checksum: send the same request again.
          answer = await send(wire, signal);
          continue;
        }
        if (!parsed.ok && parsed.reason === 'bad_checksum' && attempt < RESEND_ATTEMPTS) {
          answer = await send(renderSip2Message({ code: '97' }, { errorDetection: true, encoding }), signal);
          continue;
        }
        if (!parsed.ok) throw new Sip2ClientError(parsed.reason === 'bad_checksum' ? 'bad_checksum' : 'garbage');
        if (parsed.message.code !== expected) throw new Sip2ClientError('garbage');
        // A resent answer carries the 97's sequence (0) on SIPServer; otherwise it must echo ours.
        if (errorDetection && attempt === 0 && parsed.sequence !== undefined && parsed.sequence !== sequence) throw new Sip2ClientError('sequence_mismatch');
        return parsed.message as Sip2MessageOf<Code>;
      }
    } catch (error) {
      socket.destroy();
      throw error instanceof Sip2ClientError ? error : new Sip2ClientError('garbage', { cause: error });
    } finally {
      busy = false;
    }
  }

  return {
    exchange,
    isOpen: () => open && !socket.destroyed,
    onClose(listener) {
      if (!open) listener();
      else closeListeners.push(listener);
    },
    close() {
      socket.destroy();
    },
  };
}
