import { LRUCache } from 'lru-cache';

/**
 * Tickets and codes that may be used once, on whichever node the browser or client comes back to
 * (browse-mode tickets, OIDC authorisation codes). The id is random and opaque; the payload is
 * opaque too: a caller seals anything about a patron before putting it here (a shared store holds
 * the payload as given). Each ticket expires after its `ttlSeconds` whether taken or not.
 */
export interface SingleUseTickets {
  /**
   * Records a ticket. False when `id` is already recorded (ids are never reused). Rejects with
   * `state_unavailable` when a shared store cannot be reached.
   */
  put(id: string, payload: string, ttlSeconds: number): Promise<boolean>;
  /**
   * Takes the ticket: its payload the first time, on any node; undefined after that, or once it
   * expired, or for an id never put. Rejects with `state_unavailable` when a shared store cannot
   * be reached (never "unknown": the caller fails closed).
   */
  take(id: string): Promise<string | undefined>;
}

/** One node's memory, bounded: past `max` tickets the least recent is forgotten (and so refused). */
export function createMemorySingleUseTickets(options: { max?: number } = {}): SingleUseTickets {
  const tickets = new LRUCache<string, string>({ max: options.max ?? 100_000 });
  return {
    async put(id, payload, ttlSeconds) {
      if (tickets.has(id)) return false;
      tickets.set(id, payload, { ttl: ttlSeconds * 1000 });
      return true;
    },
    async take(id) {
      const payload = tickets.get(id);
      tickets.delete(id);
      return payload;
    },
  };
}
