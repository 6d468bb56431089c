import type { IncomingMessage } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { Patron } from '../policy/patron.ts';
import type { PatronSource } from '../patrons/patron-source.ts';
import { createPatronGuard, type PatronGuard } from '../policy/guard/patron-guard.ts';
import { readCookie, SESSION_COOKIE } from '../lib/cookies.ts';
import type { Session, SessionTokens } from './session-token.ts';

export interface SignedInPatron {
  readonly session: Session;
  readonly patron: Patron;
  /** The patron-value guard compiled for this patron. */
  readonly guard: PatronGuard;
}

/** Finds the signed-in patron of a request, for the proxy and the gateway's own pages alike. */
export interface PatronResolver {
  resolve(req: IncomingMessage, now: Date): Promise<SignedInPatron | undefined>;
}

/**
 * Opens the session cookie and looks the patron up, caching the record and its compiled guard
 * per session in a bounded LRU with a TTL (memory only, so a changed record is seen within the TTL).
 */
export function createPatronResolver(deps: { sessions: SessionTokens; patrons: PatronSource; max: number; ttlSeconds: number }): PatronResolver {
  const cache = new LRUCache<string, { patron: Patron; guard: PatronGuard }>({ max: deps.max, ttl: deps.ttlSeconds * 1000 });
  return {
    async resolve(req, now) {
      const token = readCookie(req, SESSION_COOKIE);
      const session = token ? await deps.sessions.open(token, now) : undefined;
      if (!session) return undefined;
      let entry = cache.get(session.sid);
      if (!entry) {
        const patron = await deps.patrons.findById(session.patronId);
        if (!patron) return undefined;
        entry = { patron, guard: createPatronGuard(patron) };
        cache.set(session.sid, entry);
      }
      return { session, patron: entry.patron, guard: entry.guard };
    },
  };
}
