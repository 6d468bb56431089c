import { LRUCache } from 'lru-cache';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { Patron } from '../../patrons/patron.ts';
import type { PatronSource } from '../../patrons/patron-source.ts';
import { readCookie, SESSION_COOKIE } from '../../sessions/cookies.ts';
import type { SessionTokens } from '../../sessions/session-token.ts';
import { clientWantsHtml } from '../../http/client-wants-html.ts';
import { createPatronGuard, type PatronGuard } from '../guard/patron-guard.ts';
import type { Stage } from '../stage.ts';

export interface PatronCache {
  get(sid: string): { patron: Patron; guard: PatronGuard } | undefined;
  set(sid: string, entry: { patron: Patron; guard: PatronGuard }): void;
}

/** Patron records (and their compiled guard) per session: bounded, with a TTL, memory only. */
export function createPatronCache(options: { max: number; ttlSeconds: number }): PatronCache {
  const cache = new LRUCache<string, { patron: Patron; guard: PatronGuard }>({ max: options.max, ttl: options.ttlSeconds * 1000 });
  return { get: (sid) => cache.get(sid), set: (sid, entry) => void cache.set(sid, entry) };
}

/**
 * Identify: who is asking. A valid session cookie gives the patron; without one, browsers are
 * sent to the login page (coming back here afterwards) and API clients get 401.
 */
export function createIdentifyStage(deps: { sessions: SessionTokens; patrons: PatronSource; cache: PatronCache }): Stage {
  return {
    name: 'identify',
    async run(context) {
      const token = readCookie(context.req.headers.cookie, SESSION_COOKIE);
      const session = token ? await deps.sessions.open(token, context.now) : undefined;
      let entry = session ? deps.cache.get(session.sid) : undefined;
      if (session && !entry) {
        const patron = await deps.patrons.findById(session.patronId);
        if (patron) {
          entry = { patron, guard: createPatronGuard(patron) };
          deps.cache.set(session.sid, entry);
        }
      }
      if (!session || !entry) {
        context.outcome = 'unauthenticated';
        if (clientWantsHtml(context.req) && (context.req.method === 'GET' || context.req.method === 'HEAD')) {
          context.res.statusCode = 303;
          context.res.setHeader('Location', `/login?next=${encodeURIComponent(context.req.url ?? '/')}`);
          context.res.setHeader('Cache-Control', 'no-store');
          context.res.end();
          return 'handled';
        }
        throw new GatewayError('not_authenticated');
      }
      context.session = session;
      context.patron = entry.patron;
      context.guard = entry.guard;
    },
  };
}
