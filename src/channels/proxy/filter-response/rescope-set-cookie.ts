import { parseVendorSetCookie, serializeCookie, VENDOR_COOKIE_PREFIX } from '../../../lib/cookies.ts';

/**
 * Rewrites one vendor Set-Cookie so the browser keeps it only for this vendor: the name gets the
 * vendor's mark (`vc.<vendor>.<name>`, so a vendor can never set a gateway cookie), Domain is
 * removed, Path becomes `/v/<vendor>/`, and it is HttpOnly and SameSite=Lax (Secure when the
 * gateway is on https). Max-Age/Expires are kept, every other attribute is dropped. Returns
 * undefined for a malformed cookie (dropped, never passed on as sent).
 */
export function rescopeSetCookie(header: string, vendorId: string, secure: boolean): string | undefined {
  const cookie = parseVendorSetCookie(header);
  if (!cookie) return undefined;
  const { name, value, ...lifetime } = cookie;
  const marked = `${VENDOR_COOKIE_PREFIX}${vendorId}.${name}`;
  try {
    return serializeCookie(marked, value, { ...lifetime, path: `/v/${vendorId}/`, secure });
  } catch {
    // An invalid name or value: the cookie is dropped (the error, which quotes it, is not kept).
    return undefined;
  }
}

/**
 * Binds a rescoped cookie (rescopeSetCookie's output) to the patron it was set for: the stored
 * value becomes `<tag>.<value>`, where the tag is the patron tag of (patron, vendor). The way back
 * in (scrub-request/vendor-cookies.ts) sends the vendor only cookies carrying the current patron's
 * tag, and strips it. The name of a rescoped cookie never holds `=`, so the value starts after the
 * first one; the tag and the dot are valid cookie characters.
 */
export function bindRescopedCookie(rescoped: string, tag: string): string | undefined {
  const equals = rescoped.indexOf('=');
  if (equals < 1) return undefined;
  return `${rescoped.slice(0, equals + 1)}${tag}.${rescoped.slice(equals + 1)}`;
}
