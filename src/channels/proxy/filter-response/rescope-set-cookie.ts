import { parseVendorSetCookie, serializeCookie, VENDOR_COOKIE_PREFIX } from '../../../lib/cookies.ts';

/**
 * Rewrites one vendor Set-Cookie so the browser keeps it only for this vendor: the name gets the
 * vendor's mark (`vc.<vendor>.<name>`), Domain is removed, Path becomes `/v/<vendor>/`, and it is
 * HttpOnly and SameSite=Lax (Secure when the gateway is on https). Max-Age/Expires are kept.
 * Returns undefined for a malformed cookie (dropped).
 */
export function rescopeSetCookie(header: string, vendorId: string, secure: boolean): string | undefined {
  const cookie = parseVendorSetCookie(header);
  if (!cookie) return undefined;
  try {
    return serializeCookie(`${VENDOR_COOKIE_PREFIX}${vendorId}.${cookie.name}`, cookie.value, {
      path: `/v/${vendorId}/`,
      secure,
      ...(cookie.maxAge !== undefined ? { maxAge: cookie.maxAge } : {}),
      ...(cookie.expires !== undefined ? { expires: cookie.expires } : {}),
    });
  } catch {
    // An invalid name or value: the cookie is dropped (the error, which quotes it, is not kept).
    return undefined;
  }
}
