import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** One request as a plain HTTP/1.1 parser on the vendor's side framed it. */
export interface RawVendorRequest {
  /** Which TCP connection it came on (0, 1, ... in order of arrival). */
  readonly connection: number;
  readonly method: string;
  readonly target: string;
  /** Header lines exactly as sent (name: value). */
  readonly headerLines: ReadonlyArray<string>;
  /** Header values by lowercase name (repeated headers joined with ', '). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as framed by Content-Length or chunked coding (de-chunked). */
  readonly body: Buffer;
  /** The chunk extensions and trailer lines seen, if chunked. */
  readonly chunkExtras: ReadonlyArray<string>;
}

export interface RawVendorConnection {
  readonly id: number;
  /** Every byte received on it. */
  bytes: Buffer;
  /** True once the gateway closed or reset it. */
  closed: boolean;
}

/**
 * A vendor as a raw TCP server: it records the exact bytes of every connection and frames
 * requests the way a plain HTTP/1.1 server does (Content-Length or chunked, whatever the method;
 * neither means no body), so bytes the gateway sends without framing become a second request here
 * exactly as they would on a real vendor. Each request gets a small 200 answer (keep-alive).
 */
export interface RawVendor {
  readonly url: string;
  readonly requests: RawVendorRequest[];
  readonly connections: RawVendorConnection[];
  /** Everything received on every connection, as latin1 text (for leak searches). */
  allBytes(): string;
  /** Resolves once `count` requests have been framed (or after `ms`, whatever arrived). */
  waitForRequests(count: number, ms?: number): Promise<void>;
  /** When set, requests are not answered (to keep an exchange open). */
  silent: boolean;
  close(): Promise<void>;
}

const ANSWER = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}';

export async function startRawVendor(): Promise<RawVendor> {
  const requests: RawVendorRequest[] = [];
  const connections: RawVendorConnection[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<() => void> = [];
  const vendor: RawVendor = {
    url: '',
    requests,
    connections,
    silent: false,
    allBytes: () => Buffer.concat(connections.map((c) => c.bytes)).toString('latin1'),
    waitForRequests(count, ms = 2000) {
      return new Promise((resolve) => {
        if (requests.length >= count) return resolve();
        const timer = setTimeout(resolve, ms);
        waiters.push(() => {
          if (requests.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const connection: RawVendorConnection = { id: connections.length, bytes: Buffer.alloc(0), closed: false };
    connections.push(connection);
    let pending = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      connection.bytes = Buffer.concat([connection.bytes, data]);
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const framed = frameRequest(pending, connection.id);
        if (!framed) break;
        pending = pending.subarray(framed.used);
        requests.push(framed.request);
        if (!vendor.silent) socket.write(ANSWER);
        for (const waiter of waiters) waiter();
      }
    });
    const closed = (): void => {
      connection.closed = true;
      sockets.delete(socket);
    };
    socket.on('close', closed);
    socket.on('error', closed);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (vendor as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return vendor;
}

/** One request from the start of `data`, or undefined when more bytes are needed. */
function frameRequest(data: Buffer, connection: number): { request: RawVendorRequest; used: number } | undefined {
  const text = data.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [line = '', ...headerLines] = text.slice(0, headEnd).split('\r\n');
  const [method = '', target = ''] = line.split(' ');
  const headers: Record<string, string> = {};
  for (const header of headerLines) {
    const colon = header.indexOf(':');
    const name = header.slice(0, colon).trim().toLowerCase();
    const value = header.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let offset = headEnd + 4;
  const chunkExtras: string[] = [];
  let body: Buffer = Buffer.alloc(0);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = text.indexOf('\r\n', offset);
      if (lineEnd === -1) return undefined;
      const sizeLine = text.slice(offset, lineEnd);
      const [size = '', ...extensions] = sizeLine.split(';');
      chunkExtras.push(...extensions);
      const length = parseInt(size, 16);
      offset = lineEnd + 2;
      if (length === 0) {
        // Trailers, then an empty line.
        for (;;) {
          const end = text.indexOf('\r\n', offset);
          if (end === -1) return undefined;
          const trailer = text.slice(offset, end);
          offset = end + 2;
          if (trailer === '') break;
          chunkExtras.push(trailer);
        }
        break;
      }
      if (data.length < offset + length + 2) return undefined;
      parts.push(data.subarray(offset, offset + length));
      offset += length + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (data.length < offset + length) return undefined;
    body = data.subarray(offset, offset + length);
    offset += length;
  }
  return { request: { connection, method, target, headerLines, headers, body: Buffer.from(body), chunkExtras }, used: offset };
}
