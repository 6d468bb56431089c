import { LRUCache } from 'lru-cache';

/**
 * Sessions ended before their expiry (sign-out). A sealed session cookie stays valid until it
 * expires wherever it is copied, so sign-out records its session id here until then, and every
 * opening of a session asks. An interface so that a deployment of several nodes can share it later;
 * the implementation here is one node's memory.
 */
export interface SessionRevocations {
  /**
   * Ends the session `sid`, whose cookie expires at `exp` (seconds since the epoch). A shared
   * implementation may answer once the other nodes know (sign-out waits for it).
   */
  revoke(sid: string, exp: number, now: Date): void | Promise<void>;
  /**
   * True when `sid` was ended and has not expired yet. Synchronous: every proxied request asks, so
   * a shared implementation answers from a local copy it keeps up to date.
   */
  isRevoked(sid: string, now: Date): boolean;
}

/**
 * In memory, bounded: each entry is kept until its session's expiry (then it is useless: the
 * cookie itself is refused). Past `max` entries the oldest revocation is forgotten first; size it
 * above the sign-outs of one session lifetime (the default, 100 000, is a few MB).
 */
export function createMemorySessionRevocations(options: { max?: number } = {}): SessionRevocations {
  const ended = new LRUCache<string, number>({ max: options.max ?? 100_000 });
  return {
    revoke(sid, exp, now) {
      const left = exp * 1000 - now.getTime();
      if (left <= 0) return;
      ended.set(sid, exp, { ttl: left });
    },
    isRevoked(sid, now) {
      // Not recorded reads as expired at the epoch.
      return (ended.get(sid) ?? 0) * 1000 > now.getTime();
    },
  };
}
