import { LRUCache } from 'lru-cache';

/**
 * AuthnRequest IDs already accepted, and those already answered, per SP: a request ID is accepted
 * once and answered once. Bounded (an LRU of `max` entries, each kept for `ttlMs`: at least as long
 * as a request stays fresh and a pending request stays open). One node's memory: behind a load
 * balancer without sticky sessions a replay could land on another node within that window (the
 * scale-out issue moves this to the shared store).
 */
export interface RememberedRequestIds {
  /** True the first time this SP's request ID is seen; false on a replay. */
  accept(entityId: string, id: string): boolean;
  /** True the first time this SP's request ID is answered; false when it already was. */
  answer(entityId: string, id: string): boolean;
}

export function createRememberedRequestIds(options: { readonly max: number; readonly ttlMs: number }): RememberedRequestIds {
  const seen = new LRUCache<string, true>({ max: options.max, ttl: options.ttlMs });
  const once = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.set(key, true);
    return true;
  };
  return {
    accept: (entityId, id) => once(`accepted\u0000${entityId}\u0000${id}`),
    answer: (entityId, id) => once(`answered\u0000${entityId}\u0000${id}`),
  };
}
