/**
 * A bounded pool of persistent SIP2 connections to one server. Requests wait for a free
 * connection (bounded queue); a connection that fails is dropped and replaced on demand; after a
 * failed connect the pool backs off (doubling, capped) and fails fast meanwhile, so a dead ILS
 * costs no waiting. A request that finds its reused connection closed by the server (an idle
 * timeout) is tried once more on a fresh one. With `keepAlive`, a connection idle that long is sent
 * a 99 SC Status, so that a firewall or the ILS's own idle timeout does not drop it; one that does
 * not answer is closed and replaced by a fresh one.
 */
import { Sip2ClientError } from './sip2-client-error.ts';
import type { Sip2Connection } from './sip2-connection.ts';
import type { Sip2Message, Sip2MessageCode, Sip2MessageOf } from './sip2-message.ts';

export interface Sip2PoolOptions {
  /** Connections at most (settings: patrons.sip2.pool). */
  readonly size: number;
  /** Opens and logs in one connection. */
  readonly open: (signal: AbortSignal | undefined) => Promise<Sip2Connection>;
  /** A monotonic clock in ms, for the backoff (default performance.now: it must move, unlike a test's frozen date). */
  readonly now?: () => number;
  /** First wait after a failed connect, and the cap of the doubling (ms). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Requests that may wait for a connection (default 100 per connection). */
  readonly maxWaiting?: number;
  /**
   * A 99 on each connection idle for `everyMs` (settings: patrons.sip2.keepAliveMs), answered
   * within `timeoutMs` or the connection is replaced. Absent or 0: no keep-alive.
   */
  readonly keepAlive?: { readonly everyMs: number; readonly timeoutMs: number };
}

export interface Sip2PoolStats {
  readonly open: number;
  readonly idle: number;
  readonly waiting: number;
}

export interface Sip2Pool {
  exchange<Code extends Sip2MessageCode>(message: Sip2Message, expected: Code, signal?: AbortSignal): Promise<Sip2MessageOf<Code>>;
  stats(): Sip2PoolStats;
  /** Closes every connection; later requests fail. */
  close(): void;
}

export const DEFAULT_BACKOFF = { initialMs: 200, maxMs: 10_000 } as const;

/** The keep-alive question: a 99 SC Status, as when a connection opens (status ok, protocol 2.00). */
const KEEP_ALIVE: Sip2Message = { code: '99', statusCode: '0', maxPrintWidth: '000', protocolVersion: '2.00' };

interface Lease {
  readonly connection: Sip2Connection;
  /** True when the connection had served a request before (it may have gone stale). */
  readonly reused: boolean;
}

export function createSip2Pool(options: Sip2PoolOptions): Sip2Pool {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const now = options.now ?? (() => performance.now());
  const maxWaiting = options.maxWaiting ?? options.size * 100;
  const keepAliveMs = options.keepAlive?.everyMs ?? 0;
  // Idle connections, least recently used first, and when each became idle (same order).
  const idle: Sip2Connection[] = [];
  const idleSince: number[] = [];
  let keepAliveTimer: NodeJS.Timeout | undefined;
  const waiting: Array<(lease: Lease | undefined) => void> = [];
  let count = 0;
  let failures = 0;
  let retryAt = 0;
  let closed = false;

  const forget = (connection: Sip2Connection): void => {
    const index = idle.indexOf(connection);
    if (index >= 0) {
      idle.splice(index, 1);
      idleSince.splice(index, 1);
    }
  };

  const openOne = async (signal: AbortSignal | undefined): Promise<Lease> => {
    if (now() < retryAt) throw new Sip2ClientError('unreachable');
    count++;
    try {
      const connection = await options.open(signal);
      failures = 0;
      retryAt = 0;
      connection.onClose(() => {
        count--;
        forget(connection);
        // A waiter may now open a connection of its own.
        waiting.shift()?.(undefined);
      });
      return { connection, reused: false };
    } catch (error) {
      count--;
      retryAt = now() + Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures);
      failures++;
      waiting.shift()?.(undefined);
      throw error;
    }
  };

  const acquire = async (signal: AbortSignal | undefined): Promise<Lease> => {
    for (;;) {
      if (closed) throw new Sip2ClientError('closed');
      const connection = idle.pop();
      idleSince.pop();
      if (connection !== undefined) {
        if (connection.isOpen()) return { connection, reused: true };
        continue;
      }
      if (count < options.size) return openOne(signal);
      if (waiting.length >= maxWaiting) throw new Sip2ClientError('busy');
      const handed = await new Promise<Lease | undefined>((resolve, reject) => {
        const onAbort = (): void => {
          const index = waiting.indexOf(wake);
          if (index >= 0) waiting.splice(index, 1);
          reject(new Sip2ClientError('timeout'));
        };
        const wake = (lease: Lease | undefined): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        };
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(wake);
      });
      if (handed !== undefined) return handed;
    }
  };

  const release = (connection: Sip2Connection): void => {
    if (closed || !connection.isOpen()) {
      connection.close();
      return;
    }
    const next = waiting.shift();
    if (next !== undefined) next({ connection, reused: true });
    else {
      idle.push(connection);
      idleSince.push(now());
      if (keepAliveMs > 0 && keepAliveTimer === undefined) scheduleKeepAlive();
    }
  };

  /** One timer for the whole pool, due when the least recently used idle connection has been idle `keepAliveMs`. */
  function scheduleKeepAlive(): void {
    const oldest = idleSince[0];
    if (closed || oldest === undefined) return;
    keepAliveTimer = setTimeout(keepIdleAlive, Math.max(0, oldest + keepAliveMs - now()));
    keepAliveTimer.unref();
  }

  function keepIdleAlive(): void {
    keepAliveTimer = undefined;
    const due = now() - keepAliveMs;
    while (idle.length > 0 && (idleSince[0] as number) <= due) {
      const connection = idle.shift() as Sip2Connection;
      idleSince.shift();
      void ping(connection);
    }
    scheduleKeepAlive();
  }

  /** Asks an idle connection for its status; back to the pool when it answers, replaced once it has closed when it does not. */
  async function ping(connection: Sip2Connection): Promise<void> {
    const timeoutMs = options.keepAlive?.timeoutMs ?? 5000;
    try {
      if (!connection.isOpen()) throw new Sip2ClientError('closed');
      await connection.exchange(KEEP_ALIVE, '98', AbortSignal.timeout(timeoutMs));
      release(connection);
    } catch {
      connection.onClose(() => void replace(timeoutMs));
      connection.close();
    }
  }

  /** Opens a connection in place of a dead one, unless a waiting request already took its place. */
  async function replace(timeoutMs: number): Promise<void> {
    if (closed || count >= options.size) return;
    try {
      release((await openOne(AbortSignal.timeout(timeoutMs))).connection);
    } catch {
      // The ILS is down or in backoff: the next request opens one on demand.
    }
  }

  async function exchange<Code extends Sip2MessageCode>(message: Sip2Message, expected: Code, signal?: AbortSignal): Promise<Sip2MessageOf<Code>> {
    for (let attempt = 0; ; attempt++) {
      const lease = await acquire(signal);
      try {
        const answer = await lease.connection.exchange(message, expected, signal);
        release(lease.connection);
        return answer;
      } catch (error) {
        lease.connection.close();
        const stale = lease.reused && error instanceof Sip2ClientError && error.reason === 'closed';
        if (!stale || attempt > 0) throw error;
      }
    }
  }

  return {
    exchange,
    stats: () => ({ open: count, idle: idle.length, waiting: waiting.length }),
    close() {
      closed = true;
      clearTimeout(keepAliveTimer);
      idleSince.length = 0;
      for (const connection of idle.splice(0)) connection.close();
      for (const wake of waiting.splice(0)) wake(undefined);
    },
  };
}
