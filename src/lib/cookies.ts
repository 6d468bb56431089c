/** The gateway's own cookie names. Every one is HttpOnly and SameSite=Lax. */
export const SESSION_COOKIE = 'gw_session';

/** Vendor cookies are stored in the browser as `vc.<vendor>.<name>`, scoped to `/v/<vendor>/`. */
export const VENDOR_COOKIE_PREFIX = 'vc.';

/** Parses a Cookie header into name/value pairs, in order, keeping duplicates. Values stay as sent. */
export function parseCookieHeader(header: string | undefined): Array<[string, string]> {
  if (!header) return [];
  const pairs: Array<[string, string]> = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name) pairs.push([name, part.slice(eq + 1).trim()]);
  }
  return pairs;
}

/** The first value of one cookie, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const [n, v] of parseCookieHeader(header)) if (n === name) return v;
  return undefined;
}

/** Serializes one of the gateway's own cookies. */
export function serializeCookie(name: string, value: string, options: { path?: string; maxAge?: number; secure: boolean }): string {
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
