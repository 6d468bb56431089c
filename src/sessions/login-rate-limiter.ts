import { LRUCache } from 'lru-cache';
import { createThrottleIds } from './throttle-ids.ts';

/** One sign-in attempt's verdict: refused with the seconds to wait, or allowed (and counted as failed until it succeeds). */
export type LoginTry = { readonly allowed: false; readonly wait: number } | { readonly allowed: true; succeeded(): void };

/**
 * Failed sign-ins, limited per client address AND per library card, each in a fixed window. A
 * guesser who spreads one card's PINs over many addresses meets the card's limit; a guesser trying
 * many cards from one address meets the client's. Successes are never counted (a branch behind one
 * NAT address signs in all day). An attempt counts as a failure from the moment it starts (so
 * guesses sent in parallel cannot all pass before the first one fails) until `succeeded` takes it
 * back. Bounded: at most `maxKeys` clients and cards each, the least recent forgotten first.
 *
 * The card is never kept: it is replaced by an HMAC under a key of this limiter's own (derived from
 * `key`), after the same normalisation a patron source applies and more (spaces, dashes, case).
 *
 * A promise when the counts live in a shared store (Redis: every node counts together); a store
 * that cannot be reached rejects with `state_unavailable` (sign-in then fails closed).
 */
export interface LoginRateLimiter {
  begin(client: string, card: string, now: Date): LoginTry | Promise<LoginTry>;
}

/** The in-memory limiter answers at once. */
export interface MemoryLoginRateLimiter extends LoginRateLimiter {
  begin(client: string, card: string, now: Date): LoginTry;
}

export interface LoginRateLimiterOptions {
  /** Key material (the session key): the card HMAC key is derived from it. */
  readonly key: Uint8Array;
  /** Failures allowed per client address per `clientWindowSeconds`. */
  readonly clientFailures: number;
  readonly clientWindowSeconds: number;
  /** Failures allowed per card per `cardWindowSeconds`. */
  readonly cardFailures: number;
  readonly cardWindowSeconds: number;
  readonly maxKeys?: number;
}

interface Window {
  count: number;
  readonly resetAt: number;
}

/** One node's memory (the embedded default, and every node's when no shared store is configured). */
export function createLoginRateLimiter(options: LoginRateLimiterOptions): MemoryLoginRateLimiter {
  const ids = createThrottleIds(options.key);
  const max = options.maxKeys ?? 50_000;
  const clients = new LRUCache<string, Window>({ max });
  const cards = new LRUCache<string, Window>({ max });

  /** The current window of `key`, new when there is none or it is over. */
  const windowOf = (windows: LRUCache<string, Window>, key: string, t: number, seconds: number): Window => {
    let window = windows.get(key);
    if (!window || window.resetAt <= t) {
      window = { count: 0, resetAt: t + seconds * 1000 };
      windows.set(key, window);
    }
    return window;
  };

  return {
    begin(client, card, now) {
      const t = now.getTime();
      const cardId = ids.card(card);
      const byClient = windowOf(clients, client, t, options.clientWindowSeconds);
      const byCard = windowOf(cards, cardId, t, options.cardWindowSeconds);
      const waits: number[] = [];
      if (byClient.count >= options.clientFailures) waits.push(byClient.resetAt - t);
      if (byCard.count >= options.cardFailures) waits.push(byCard.resetAt - t);
      if (waits.length > 0) return { allowed: false, wait: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
      byClient.count += 1;
      byCard.count += 1;
      let pending = true;
      return {
        allowed: true,
        succeeded() {
          if (!pending) return;
          pending = false;
          byClient.count -= 1;
          byCard.count -= 1;
        },
      };
    },
  };
}
