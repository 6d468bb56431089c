import type { IncomingMessage } from 'node:http';
import { LRUCache } from 'lru-cache';
import type { Patron } from '../policy/patron.ts';
import type { PatronSource } from '../patrons/patron-source.ts';
import { createPatronGuard, type PatronGuard } from '../policy/guard/patron-guard.ts';
import { readCookie, SESSION_COOKIE } from '../lib/cookies.ts';
import type { Session, SessionTokens } from './session-token.ts';
import type { SessionRevocations } from './session-revocations.ts';

export interface SignedInPatron {
  readonly session: Session;
  readonly patron: Patron;
  /** The patron-value guard compiled for this patron. */
  readonly guard: PatronGuard;
}

/** Finds the signed-in patron of a request, for the proxy and the gateway's own pages alike. */
export interface PatronResolver {
  /** Synchronous when the session and its patron are already known (a warm cache); a promise otherwise. */
  resolve(req: IncomingMessage, now: Date): SignedInPatron | undefined | Promise<SignedInPatron | undefined>;
  /** The same for a session token carried some other way (browse mode's vendor origins hold it sealed in a cookie of their own). */
  resolveToken(token: string, now: Date): SignedInPatron | undefined | Promise<SignedInPatron | undefined>;
  /** The request's session token (the session cookie), if any. */
  readToken(req: IncomingMessage): string | undefined;
  /** Sign-out: forgets what was cached for this session token. */
  forget(token: string): void;
}

/**
 * Opens the session cookie and looks the patron up, caching the record and its compiled guard
 * per session in a bounded LRU with a TTL (memory only, so a changed record is seen within the TTL).
 * A session ended by sign-out is never served, from the cache or otherwise.
 */
export function createPatronResolver(deps: { sessions: SessionTokens; patrons: PatronSource; revocations: SessionRevocations; max: number; ttlSeconds: number; cookieName?: string }): PatronResolver {
  const cookieName = deps.cookieName ?? SESSION_COOKIE;
  // Keyed by the session token itself, so a returning request costs one lookup; the record is
  // refreshed after the TTL, and an expired session is never served from here.
  const cache = new LRUCache<string, SignedInPatron>({ max: deps.max, ttl: deps.ttlSeconds * 1000 });
  const withPatron = (token: string, session: Session | undefined, now: Date): SignedInPatron | undefined | Promise<SignedInPatron | undefined> => {
    if (!session) return undefined;
    // Signed in at the library's single sign-on: the record travels sealed in the session itself.
    const found = session.patron !== undefined ? Promise.resolve(session.patron) : deps.patrons.findById(session.patronId);
    return found.then((patron) => {
      // Signed out while the record was being looked up: not cached, not served.
      if (!patron || deps.revocations.isRevoked(session.sid, now)) return undefined;
      const signedIn: SignedInPatron = { session, patron, guard: createPatronGuard(patron) };
      cache.set(token, signedIn);
      return signedIn;
    });
  };
  function resolveToken(token: string, now: Date): SignedInPatron | undefined | Promise<SignedInPatron | undefined> {
    const known = cache.get(token);
    if (known) return known.session.exp > Math.floor(now.getTime() / 1000) && !deps.revocations.isRevoked(known.session.sid, now) ? known : undefined;
    const session = deps.sessions.open(token, now);
    return session instanceof Promise ? session.then((opened) => withPatron(token, opened, now)) : withPatron(token, session, now);
  }
  return {
    resolve(req, now) {
      const token = readCookie(req, cookieName);
      if (!token) return undefined;
      return resolveToken(token, now);
    },
    resolveToken,
    readToken(req) {
      return readCookie(req, cookieName);
    },
    forget(token) {
      cache.delete(token);
    },
  };
}
