import { randomUUID } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Patron } from '../policy/patron.ts';
import type { SessionRevocations } from './session-revocations.ts';

/** What a patron session holds. Sealed in an encrypted cookie; nothing is kept on the server. */
export interface Session {
  /** Random per login; keys the per-session patron cache. */
  readonly sid: string;
  /** The patron's internal id (encrypted in the cookie, never readable by the browser). */
  readonly patronId: string;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
  /**
   * The patron record itself, when no source can be asked for it later (sign-in at the library's
   * single sign-on): made from the provider's claims, sealed in the encrypted cookie, gone with it.
   */
  readonly patron?: Patron;
  /** Staff by the provider's staff claim (patrons.oidc.staffClaim, admin.sso). */
  readonly staff?: boolean;
}

/** What a session may hold besides the patron's id. */
export interface SessionExtras {
  readonly patron?: Patron;
  readonly staff?: boolean;
}

export interface SessionTokens {
  seal(patronId: string, now: Date, extras?: SessionExtras): Promise<{ token: string; session: Session }>;
  /**
   * The session in a token, or undefined for anything malformed, tampered with or expired.
   * Synchronous for a token already opened (the common case: every proxied request carries one).
   */
  open(token: string, now: Date): Session | undefined | Promise<Session | undefined>;
  /**
   * Sign-out: the session in `token` ends now on this node (recorded in the revocations until it
   * would have expired, so a copy of the cookie opens nothing either). Returns the ended session.
   */
  end(token: string, now: Date): Promise<Session | undefined>;
}

const ISSUER = 'patron-privacy-gateway/session';

/**
 * Session tokens: JWE (dir, A256GCM) under the session key, so any gateway node with the same
 * settings accepts a session made by another. Opened tokens are cached (bounded) because every
 * proxied request carries one.
 *
 * Rotation: `key` seals every new session; a token sealed under one of `previousKeys` still opens
 * (until that key is removed from the settings, when it reads as no session: the patron is asked
 * to sign in again).
 */
export function createSessionTokens(options: { key: Uint8Array; previousKeys?: ReadonlyArray<Uint8Array>; ttlSeconds: number; revocations: SessionRevocations; cacheSize?: number; issuer?: string }): SessionTokens {
  // A token sealed for one purpose (a staff session) never opens as another (a patron session).
  const issuer = options.issuer ?? ISSUER;
  const keys = [options.key, ...(options.previousKeys ?? [])].map((candidate) => {
    if (candidate.length < 32) throw new RangeError('every session key must be at least 32 bytes');
    return new Uint8Array(candidate.subarray(0, 32));
  });
  const key = keys[0] as Uint8Array;
  const cache = new LRUCache<string, Session>({ max: options.cacheSize ?? 10_000 });
  return {
    async seal(patronId, now, extras = {}) {
      const iat = Math.floor(now.getTime() / 1000);
      const session: Session = { sid: randomUUID(), patronId, exp: iat + options.ttlSeconds, ...(extras.patron ? { patron: extras.patron } : {}), ...(extras.staff ? { staff: true } : {}) };
      const token = await new EncryptJWT({ sid: session.sid, pid: patronId, ...(extras.patron ? { pat: extras.patron } : {}), ...(extras.staff ? { stf: true } : {}) })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuer(issuer)
        .setIssuedAt(iat)
        .setExpirationTime(session.exp)
        .encrypt(key);
      return { token, session };
    },
    open(token, now) {
      if (token.length > 4096) return undefined;
      const seconds = Math.floor(now.getTime() / 1000);
      const cached = cache.get(token);
      if (cached) return cached.exp > seconds && !options.revocations.isRevoked(cached.sid, now) ? cached : undefined;
      return decrypt(token, now, seconds);
    },
    async end(token, now) {
      const session = token.length > 4096 ? undefined : (cache.get(token) ?? (await decrypt(token, now, Math.floor(now.getTime() / 1000))));
      cache.delete(token);
      if (session) await options.revocations.revoke(session.sid, session.exp, now);
      return session;
    },
  };

  /** The claims under the first key that opens the token (the sealing key first), or undefined. */
  async function openUnderAnyKey(token: string, now: Date): Promise<JWTPayload | undefined> {
    for (const candidate of keys) {
      try {
        const { payload } = await jwtDecrypt(token, candidate, { issuer, currentDate: now, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
        return payload;
      } catch {
        // Not sealed under this key (or malformed, tampered with, expired): try the next.
      }
    }
    return undefined;
  }

  async function decrypt(token: string, now: Date, seconds: number): Promise<Session | undefined> {
      try {
        const payload = await openUnderAnyKey(token, now);
        if (payload === undefined) return undefined;
        if (typeof payload['sid'] !== 'string' || typeof payload['pid'] !== 'string' || typeof payload.exp !== 'number') return undefined;
        const patron = payload['pat'];
        // Sealed by this gateway (authenticated encryption): a record made from claims at sign-in.
        const carried = patron !== null && typeof patron === 'object' && !Array.isArray(patron) && (patron as { patronId?: unknown }).patronId === payload['pid'] ? (patron as Patron) : undefined;
        const session: Session = { sid: payload['sid'], patronId: payload['pid'], exp: payload.exp, ...(carried ? { patron: carried } : {}), ...(payload['stf'] === true ? { staff: true } : {}) };
        if (options.revocations.isRevoked(session.sid, now)) return undefined;
        cache.set(token, session, { ttl: Math.max(1, (session.exp - seconds) * 1000) });
        return session;
      } catch {
        return undefined;
      }
  }
}
