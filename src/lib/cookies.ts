import type { IncomingMessage } from 'node:http';
import { parseCookie, parseSetCookie, stringifySetCookie } from 'cookie';

/** The gateway's own cookie names. Every one is HttpOnly; SameSite Lax unless said otherwise. */
export const SESSION_COOKIE = 'gw_session';

/** A staff session from the library's single sign-on (admin.sso): opens /staff, nothing else. */
export const STAFF_SESSION_COOKIE = 'gw_staff';

/** The prefix browsers hold to Secure, Path=/ and no Domain: no sibling host or http page can set or shadow the cookie. */
export const HOST_COOKIE_PREFIX = '__Host-';

/**
 * The name of one of the gateway's own cookies on its public origin: `__Host-<name>` when the
 * gateway is on https (every gateway cookie is Path=/, Secure there, and has no Domain), the plain
 * name on http (where browsers refuse the prefix).
 */
export function gatewayCookieName(name: string, secure: boolean): string {
  return secure ? `${HOST_COOKIE_PREFIX}${name}` : name;
}

/** Vendor cookies are stored in the browser as `vc.<vendor>.<name>`, scoped to `/v/<vendor>/`. */
export const VENDOR_COOKIE_PREFIX = 'vc.';

export type RequestCookies = Readonly<Record<string, string | undefined>>;

// Values stay exactly as sent (no percent-decoding): a vendor's cookie must reach it unchanged.
const KEEP_AS_SENT = { decode: (value: string): string => value };
const EMPTY: RequestCookies = Object.freeze({});
// One parse per request, whoever asks (session, notices, language, vendor cookies); dropped with the request.
const parsed = new WeakMap<IncomingMessage, RequestCookies>();

/** The request's cookies, parsed once per request (the first of duplicate names wins). */
export function readRequestCookies(req: IncomingMessage): RequestCookies {
  let cookies = parsed.get(req);
  if (cookies === undefined) {
    const header = req.headers.cookie;
    cookies = header ? parseCookie(header, KEEP_AS_SENT) : EMPTY;
    parsed.set(req, cookies);
  }
  return cookies;
}

/** One cookie of a request, or undefined. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  return readRequestCookies(req)[name];
}

export interface CookieOptions {
  readonly secure: boolean;
  readonly path?: string;
  /** Seconds; 0 deletes the cookie. Omitted (and no expires): a session cookie. */
  readonly maxAge?: number;
  readonly expires?: Date;
  readonly sameSite?: 'lax' | 'strict';
}

// Values are written as given, and must already be valid cookie octets (stringifySetCookie checks).
const KEEP_AS_GIVEN = { encode: (value: string): string => value };

/**
 * The one writer of Set-Cookie values: always HttpOnly, SameSite=Lax by default, Secure on https.
 * Throws a TypeError for a name or value that is not valid in a cookie (the caller decides: our
 * own values are always valid; a vendor's malformed cookie is dropped).
 */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return stringifySetCookie(
    {
      name,
      value,
      path: options.path ?? '/',
      httpOnly: true,
      sameSite: options.sameSite ?? 'lax',
      ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
      ...(options.expires !== undefined ? { expires: options.expires } : {}),
      ...(options.secure ? { secure: true } : {}),
    },
    KEEP_AS_GIVEN,
  );
}

/** A vendor's Set-Cookie header, parsed (name, value and attributes as sent). */
export function parseVendorSetCookie(header: string): { name: string; value: string; maxAge?: number; expires?: Date } | undefined {
  const cookie = parseSetCookie(header, KEEP_AS_SENT);
  if (!cookie.name || cookie.value === undefined) return undefined;
  return { name: cookie.name, value: cookie.value, ...(cookie.maxAge !== undefined ? { maxAge: cookie.maxAge } : {}), ...(cookie.expires !== undefined ? { expires: cookie.expires } : {}) };
}
