import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayCookieName, readCookie, serializeCookie } from '../lib/cookies.ts';

export const CSRF_COOKIE = 'gw_csrf';

/**
 * CSRF protection for every form the gateway serves: a random value in an HttpOnly, SameSite=Strict
 * cookie, and in the form a hidden `csrf` input holding its HMAC under the session key. A page
 * elsewhere can neither read the cookie nor compute the HMAC. Stateless: any node verifies. During
 * a session-key rotation a token made under one of `previousKeys` is accepted too (a form opened
 * just before the new key arrived still posts).
 */
export interface CsrfTokens {
  /** The token for a form on this response, setting the cookie when the browser has none. */
  issue(req: IncomingMessage, res: ServerResponse): string;
  /** True when the form's token matches the browser's cookie. */
  verify(req: IncomingMessage, token: unknown): boolean;
}

export function createCsrfTokens(options: { key: Uint8Array; previousKeys?: ReadonlyArray<Uint8Array>; secure: boolean }): CsrfTokens {
  const cookieName = gatewayCookieName(CSRF_COOKIE, options.secure);
  const keys = [options.key, ...(options.previousKeys ?? [])];
  const macUnder = (key: Uint8Array, value: string): string => createHmac('sha256', key).update(`csrf\u0000${value}`).digest('base64url');
  const mac = (value: string): string => macUnder(options.key, value);
  return {
    issue(req, res) {
      let value = readCookie(req, cookieName);
      if (!value || !/^[A-Za-z0-9_-]{22,64}$/.test(value)) {
        value = randomBytes(18).toString('base64url');
        const cookie = serializeCookie(cookieName, value, { sameSite: 'strict', secure: options.secure });
        const existing = res.getHeader('Set-Cookie');
        res.setHeader('Set-Cookie', existing === undefined ? [cookie] : [...(Array.isArray(existing) ? existing : [String(existing)]), cookie]);
      }
      return mac(value);
    },
    verify(req, token) {
      const value = readCookie(req, cookieName);
      if (!value || typeof token !== 'string' || token.length === 0) return false;
      const given = Buffer.from(token);
      let matched = false;
      for (const key of keys) {
        const expected = Buffer.from(macUnder(key, value));
        if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
      }
      return matched;
    },
  };
}
