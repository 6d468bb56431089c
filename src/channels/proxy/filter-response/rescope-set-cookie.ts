import { VENDOR_COOKIE_PREFIX } from '../../../lib/cookies.ts';

/**
 * Rewrites one vendor Set-Cookie so the browser keeps it only for this vendor: the name gets the
 * vendor's mark (`vc.<vendor>.<name>`), Domain is removed, Path becomes `/v/<vendor>/`, and it is
 * HttpOnly and SameSite=Lax (Secure when the gateway is on https). Max-Age/Expires are kept.
 * Returns undefined for a malformed cookie (dropped).
 */
export function rescopeSetCookie(header: string, vendorId: string, secure: boolean): string | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return undefined;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return undefined;
  const kept: string[] = [];
  for (const attribute of attributes) {
    const key = attribute.split('=')[0]?.trim().toLowerCase();
    if (key === 'max-age' || key === 'expires') kept.push(attribute.trim());
  }
  const parts = [`${VENDOR_COOKIE_PREFIX}${vendorId}.${name}=${value}`, `Path=/v/${vendorId}/`, ...kept, 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
