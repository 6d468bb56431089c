import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../log/create-logger.ts';
import type { SharedStateSetup } from '../settings/resolve-shared-state.ts';
import { createRedisLoginRateLimiter } from './redis-login-rate-limiter.ts';
import { createRedisSessionRevocations } from './redis-session-revocations.ts';
import { createRedisSingleUseTickets } from './redis-single-use-tickets.ts';
import type { SharedState } from './shared-state.ts';

/** Redis's shared state, which can also say when it first answered. */
export interface RedisSharedState extends SharedState {
  /** Resolves true once Redis answers (and revocations are loaded), false after `timeoutMs` without. */
  waitUntilUp(timeoutMs: number): Promise<boolean>;
}

/** Reconnection: 100 ms, 200 ms, 400 ms ... at most 2 s between tries, for ever. */
export function chooseRetryDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt - 1, 5), 2_000);
}

/**
 * Connects to Redis (main.ts, or a test): one connection for commands, one subscribed to
 * revocations. Nothing waits for Redis: commands fail at once while it is down (no offline queue),
 * so sign-in and sign-out fail closed without hanging, and both connections retry with backoff
 * for ever; each reconnect reloads the revocations. Logs say up or down, never the URL.
 */
export function openRedisState(setup: NonNullable<SharedStateSetup['redis']>, deps: { logger: Logger; clock: () => Date }): RedisSharedState {
  const options: RedisOptions = {
    ...(setup.username !== undefined ? { username: setup.username } : {}),
    ...(setup.password !== undefined ? { password: setup.password } : {}),
    ...(setup.tls !== undefined ? { tls: { ...(setup.tls.ca ? { ca: setup.tls.ca } : {}) } } : {}),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    autoResubscribe: false,
    retryStrategy: chooseRetryDelay,
  };
  const client = new Redis(setup.url, options);
  const subscriber = new Redis(setup.url, options);
  const prefix = setup.keyPrefix;
  const revocations = createRedisSessionRevocations(client, prefix, { now: deps.clock });
  let up = false;
  let closed = false;
  const waiters = new Set<(up: boolean) => void>();

  // Up = both connections ready, subscribed, and every revocation loaded (none missed while away).
  const settle = (): void => {
    if (closed || client.status !== 'ready' || subscriber.status !== 'ready') return;
    subscriber
      .subscribe(revocations.channel)
      .then(() => revocations.synchronize())
      .then(() => {
        if (closed || up) return;
        up = true;
        deps.logger.info('shared state up', { kind: 'redis' });
        for (const wake of waiters) wake(true);
        waiters.clear();
      })
      .catch(() => {
        // The connection dropped again: its next 'ready' tries again.
      });
  };
  const lost = (): void => {
    if (!up || closed) return;
    up = false;
    deps.logger.warn('shared state down: sign-in and sign-out refused until it is back', { kind: 'redis' });
  };
  for (const connection of [client, subscriber]) {
    connection.on('ready', settle);
    connection.on('close', lost);
    // Errors are reported as up and down; an error listener keeps them from being thrown.
    connection.on('error', () => {});
  }
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === revocations.channel) revocations.receive(message, deps.clock());
  });

  return {
    store: 'redis',
    createLimiter: (name, limits) => createRedisLoginRateLimiter(client, prefix, name, limits),
    revocations,
    tickets: createRedisSingleUseTickets(client, prefix),
    isUp: () => up,
    waitUntilUp(timeoutMs) {
      if (up) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve(false);
        }, timeoutMs);
        const wake = (value: boolean): void => {
          clearTimeout(timer);
          resolve(value);
        };
        waiters.add(wake);
      });
    },
    async close() {
      closed = true;
      up = false;
      for (const wake of waiters) wake(false);
      waiters.clear();
      client.disconnect();
      subscriber.disconnect();
    },
  };
}
