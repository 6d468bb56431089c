import { createHmac, hkdfSync } from 'node:crypto';
import { encodeBase32 } from '../../policy/pseudonyms/base32.ts';
import { encodeLengthPrefixed } from '../../policy/pseudonyms/length-prefix.ts';

const HKDF_SALT = Buffer.from('patron-privacy-gateway/sso-patron-id/v1', 'utf8');
const HKDF_INFO = Buffer.from('sso-patron-id', 'utf8');

/** Every id made here starts with this, so it can never equal an ILS id or a card number. */
export const SSO_PATRON_ID_PREFIX = 'sso-';

/**
 * The patron id of a person signed in at the library's provider: HMAC-SHA256 over the
 * length-prefixed (issuer, sub) under a key derived from the pseudonym secret, 160 bits in
 * base32. Stable per person (same provider, same `sub`), so the vendors' pseudonyms computed from
 * it are too; the raw `sub` is never kept, logged or released.
 */
export function createSsoPatronIds(secret: Uint8Array): (issuer: string, sub: string) => string {
  if (secret.length < 32) throw new RangeError('the SSO patron id key material must be at least 32 bytes');
  const key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, 32));
  return (issuer, sub) => `${SSO_PATRON_ID_PREFIX}${encodeBase32(createHmac('sha256', key).update(encodeLengthPrefixed([issuer, sub])).digest().subarray(0, 20))}`;
}
