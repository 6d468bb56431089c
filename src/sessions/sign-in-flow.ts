import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { gatewayCookieName, readCookie, serializeCookie } from '../lib/cookies.ts';
import type { SingleUseTickets } from './single-use-tickets.ts';

/** The cookie that carries a sign-in at the library's single sign-on from its start to its callback. */
export const SIGN_IN_FLOW_COOKIE = 'gw_sso';

const ISSUER = 'patron-privacy-gateway/sign-in-flow';

/** One sign-in at the provider, between the redirect there and the browser's return. */
export interface SignInFlow {
  /** Which client started it: a patron's sign-in, or a staff sign-in (admin.sso). */
  readonly purpose: 'patron' | 'staff';
  /** Where to go afterwards (already a safe path inside the gateway). */
  readonly next: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export interface SignInFlows {
  /** Seals the flow for this browser: the Set-Cookie value to send with the redirect to the provider. */
  begin(flow: SignInFlow, now: Date): Promise<string>;
  /**
   * The browser's flow, once: undefined when it has none, when it was tampered with, sealed under
   * another key, expired, or already taken (a replayed callback), on any node.
   */
  take(req: IncomingMessage, now: Date): Promise<SignInFlow | undefined>;
  /** The Set-Cookie value that removes the flow cookie. */
  readonly clear: string;
}

/**
 * Sign-in flows bound to the browser: the PKCE verifier, state and nonce travel in a short-lived
 * cookie encrypted under the session key (JWE dir A256GCM), never in a URL and never on the
 * server; the flow's random id is a single-use ticket in the shared state, so a callback works
 * once. SameSite=Lax: the provider's redirect back is a top-level navigation from another site.
 */
export function createSignInFlows(options: { key: Uint8Array; tickets: SingleUseTickets; secure: boolean; ttlSeconds: number }): SignInFlows {
  if (options.key.length < 32) throw new RangeError('the sign-in flow key must be at least 32 bytes');
  const key = new Uint8Array(options.key.subarray(0, 32));
  const cookieName = gatewayCookieName(SIGN_IN_FLOW_COOKIE, options.secure);
  return {
    async begin(flow, now) {
      const id = randomUUID();
      const iat = Math.floor(now.getTime() / 1000);
      await options.tickets.put(id, 'sign-in', options.ttlSeconds);
      const token = await new EncryptJWT({ fid: id, pur: flow.purpose, nxt: flow.next, st: flow.state, nc: flow.nonce, cv: flow.codeVerifier })
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .encrypt(key);
      return serializeCookie(cookieName, token, { maxAge: options.ttlSeconds, secure: options.secure });
    },
    async take(req, now) {
      const token = readCookie(req, cookieName);
      if (token === undefined || token.length > 4096) return undefined;
      let payload;
      try {
        ({ payload } = await jwtDecrypt(token, key, { issuer: ISSUER, currentDate: now, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] }));
      } catch {
        return undefined;
      }
      const { fid, pur, nxt, st, nc, cv } = payload;
      if (typeof fid !== 'string' || (pur !== 'patron' && pur !== 'staff') || typeof nxt !== 'string' || typeof st !== 'string' || typeof nc !== 'string' || typeof cv !== 'string') return undefined;
      if ((await options.tickets.take(fid)) === undefined) return undefined;
      return { purpose: pur, next: nxt, state: st, nonce: nc, codeVerifier: cv };
    },
    clear: serializeCookie(cookieName, '', { maxAge: 0, secure: options.secure }),
  };
}
