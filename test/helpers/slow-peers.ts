import { request } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** What a slow client saw: the bytes the gateway answered and how far it got sending its own. */
export interface SlowClientRun {
  /** Everything the gateway sent back (latin1). */
  readonly answer: string;
  /** How many of its bytes the client had written when the gateway closed the connection. */
  readonly bytesSent: number;
  /** How many bytes it meant to send in all. */
  readonly bytesPlanned: number;
  /** True when the gateway closed the connection (rather than the client finishing and giving up). */
  readonly closedByGateway: boolean;
}

/**
 * A client that writes `head` at once, then `drip` one byte every `gapMs`, stopping as soon as the
 * gateway closes the connection. Resolves when the gateway closes it, or when every byte was
 * written and `settleMs` passed without a close.
 */
export function runSlowClient(url: string, head: string, drip: string, options: { gapMs: number; settleMs?: number }): Promise<SlowClientRun> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let sent = 0;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(Number(port), hostname);
    const done = (closedByGateway: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer: Buffer.concat(chunks).toString('latin1'), bytesSent: sent, bytesPlanned: head.length + drip.length, closedByGateway });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (closed) return;
      closed = true;
      done(true);
    });
    socket.on('connect', () => {
      socket.write(head);
      sent = head.length;
      let index = 0;
      const step = (): void => {
        if (closed) return;
        if (index >= drip.length) {
          timer = setTimeout(() => {
            if (closed) return;
            closed = true;
            done(false);
          }, options.settleMs ?? 2000);
          return;
        }
        socket.write(drip[index] ?? '');
        index += 1;
        sent += 1;
        timer = setTimeout(step, options.gapMs);
      };
      timer = setTimeout(step, options.gapMs);
    });
  });
}

/** GET on a connection of its own, closed afterwards (no keep-alive pool hiding what the server does). */
export function getOnFreshConnection(url: string): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close', accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** /healthz and /readyz, each on a fresh connection: their statuses. */
export async function healthStatuses(url: string): Promise<{ healthz: number; readyz: number }> {
  const [healthz, readyz] = await Promise.all([getOnFreshConnection(`${url}/healthz`), getOnFreshConnection(`${url}/readyz`)]);
  return { healthz: healthz.status, readyz: readyz.status };
}

/** A vendor as a bare TCP server whose every connection is handed to `onConnection` (to misbehave). */
export interface BadVendor {
  readonly url: string;
  /** Connections open right now, and the most ever open at once. */
  open(): number;
  peakOpen(): number;
  /** Connections accepted in all. */
  accepted(): number;
  /** Connections on which any byte arrived (a request was sent on them). */
  spokenTo(): number;
  close(): Promise<void>;
}

export async function startBadVendor(onConnection: (socket: Socket) => void): Promise<BadVendor> {
  const sockets = new Set<Socket>();
  let peak = 0;
  let accepted = 0;
  let spokenTo = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    peak = Math.max(peak, sockets.size);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    // Read (and drop) what arrives, so a close from the gateway is seen as one.
    let spoken = false;
    socket.on('data', () => {
      if (!spoken) spokenTo += 1;
      spoken = true;
    });
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    open: () => sockets.size,
    peakOpen: () => peak,
    accepted: () => accepted,
    spokenTo: () => spokenTo,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `text` one byte every `gapMs` until the socket closes (or the text runs out). */
export function trickle(socket: Socket, text: string, gapMs: number): void {
  let index = 0;
  const step = (): void => {
    if (socket.destroyed || index >= text.length) return;
    socket.write(text[index] ?? '');
    index += 1;
    setTimeout(step, gapMs).unref();
  };
  step();
}
