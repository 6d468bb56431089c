import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Sip2Mediator } from './index.ts';

export interface Sip2ListenerOptions {
  /** PEM certificate chain and key: the listener speaks TLS (1.2 or later) when given. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  /** Vendor connections at once, at most. */
  readonly maxConnections?: number;
}

/** The mediator's TCP (or TLS) server; the caller listens on the settings' host and port. */
export function createSip2Listener(mediator: Sip2Mediator, options: Sip2ListenerOptions = {}): Server {
  const serve = (socket: Socket): void => mediator.serve(socket);
  const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, serve) : createTcpServer(serve);
  server.maxConnections = options.maxConnections ?? 2000;
  return server;
}
