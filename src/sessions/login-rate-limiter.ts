import { LRUCache } from 'lru-cache';

/**
 * Login attempts per client in a fixed window. Bounded: at most `maxClients` clients are tracked,
 * and the least recent are forgotten first. Client keys are kept in memory only, never logged.
 */
export interface LoginRateLimiter {
  /** Counts an attempt; returns undefined when allowed, or seconds to wait. */
  hit(client: string, now: Date): number | undefined;
}

export function createLoginRateLimiter(options: { attempts: number; windowSeconds: number; maxClients?: number }): LoginRateLimiter {
  const windows = new LRUCache<string, { count: number; resetAt: number }>({ max: options.maxClients ?? 50_000 });
  return {
    hit(client, now) {
      const t = now.getTime();
      let window = windows.get(client);
      if (!window || window.resetAt <= t) {
        window = { count: 0, resetAt: t + options.windowSeconds * 1000 };
        windows.set(client, window);
      }
      window.count += 1;
      return window.count > options.attempts ? Math.max(1, Math.ceil((window.resetAt - t) / 1000)) : undefined;
    },
  };
}
