import { createHmac, hkdfSync } from 'node:crypto';
import { encodeLengthPrefixed } from './length-prefix.ts';

/** HKDF salt and info: name the purpose, so this key is useless for anything else (sessions, pseudonyms). */
const HKDF_SALT = Buffer.from('patron-privacy-gateway/patron-tag/v1', 'utf8');
const HKDF_INFO = Buffer.from('patron-tag', 'utf8');

/** Bytes of HMAC output kept: 48 bits, 8 base64url characters. */
const TAG_BYTES = 6;

/** Length of every tag, in characters. */
export const PATRON_TAG_LENGTH = 8;

/**
 * A short keyed tag of (patron, vendor): something the gateway stores in the browser next to a
 * vendor's value (a cookie, a validator) to recognise, when it comes back, that it was given to
 * this patron for this vendor. Not secret from the patron, never sent to a vendor, unforgeable
 * without the key, and different for every vendor.
 */
export interface PatronTagger {
  /** 8 base64url characters: HMAC-SHA256 over the length-prefixed (patronId, vendorId). */
  tag(patronId: string, vendorId: string): string;
}

/**
 * The tagger for one key (the session key or the pseudonym secret, at least 32 bytes); its own
 * HMAC key is derived from it by HKDF-SHA256 with a label of its own.
 */
export function createPatronTagger(key: Uint8Array): PatronTagger {
  if (key.length < 32) throw new RangeError('the patron tag key material must be at least 32 bytes');
  const derived = Buffer.from(hkdfSync('sha256', key, HKDF_SALT, HKDF_INFO, 32));
  return {
    tag(patronId, vendorId) {
      return createHmac('sha256', derived).update(encodeLengthPrefixed([patronId, vendorId])).digest().subarray(0, TAG_BYTES).toString('base64url');
    },
  };
}
