import { createServer, type RequestListener, type Server } from 'node:http';

/** The limits a public HTTP listener enforces on its clients (the settings' `limits.*`). */
export interface HttpServerLimits {
  /** Open connections at most; more are closed as they arrive. */
  readonly maxConnections: number;
  /** Time to send a request's headers; then 408 and the connection is closed. */
  readonly headersTimeoutMs: number;
  /** Time to send a whole request, body included; then 408 and the connection is closed. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
}

/**
 * A node:http server that bounds what slow or idle clients can hold: a client that sends its
 * headers (or its body) too slowly, or opens a connection and sends nothing, is answered 408 and
 * closed within about one checking interval of its timeout; connections beyond maxConnections are
 * closed on arrival. Headers are limited to 16 KiB.
 */
export function createHttpServer(limits: HttpServerLimits, listener: RequestListener): Server {
  const server = createServer(
    {
      maxHeaderSize: 16 * 1024,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts on this interval (30 s by default, far longer than a short headersTimeout).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
