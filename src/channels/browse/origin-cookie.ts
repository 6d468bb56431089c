import { LRUCache } from 'lru-cache';
import type { SealedBox } from './sealed-box.ts';

/** The name of browse mode's cookie on a vendor origin (host-only; `__Host-` on https). */
export const ORIGIN_COOKIE = 'gw_browse';

/** What a vendor origin's cookie holds, sealed to that origin's host. */
export interface OriginSession {
  readonly token: string;
  readonly noticeVersion: string;
  readonly consents: ReadonlyArray<string>;
}

export interface OriginCookies {
  seal(session: OriginSession, proxiedHost: string): string;
  /** The session in a cookie value, only on the host it was sealed for. */
  open(value: string, proxiedHost: string): OriginSession | undefined;
}

/**
 * The vendor origin's own cookie: the gateway session token and the notice decision, sealed
 * (AES-GCM) with the proxied host as associated data, so it opens on that host only. Opened values
 * are cached (bounded): every request on a vendor origin carries one. The session inside is checked
 * on every request (sign-out and expiry end it here too).
 */
export function createOriginCookies(box: SealedBox, max = 10_000): OriginCookies {
  const cache = new LRUCache<string, OriginSession>({ max });
  return {
    seal(session, proxiedHost) {
      return box.seal(JSON.stringify(session), proxiedHost);
    },
    open(value, proxiedHost) {
      const key = `${proxiedHost} ${value}`;
      const known = cache.get(key);
      if (known) return known;
      const text = box.open(value, proxiedHost);
      if (text === undefined) return undefined;
      try {
        const parsed = JSON.parse(text) as Partial<OriginSession>;
        if (typeof parsed.token !== 'string' || typeof parsed.noticeVersion !== 'string' || !Array.isArray(parsed.consents)) return undefined;
        const session: OriginSession = { token: parsed.token, noticeVersion: parsed.noticeVersion, consents: parsed.consents.filter((c): c is string => typeof c === 'string') };
        cache.set(key, session);
        return session;
      } catch {
        return undefined;
      }
    },
  };
}
