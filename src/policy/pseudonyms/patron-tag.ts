import { createHmac, hkdfSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { encodeLengthPrefixed } from './length-prefix.ts';

/** Characters in a tag: 6 bytes of HMAC output as base64url. */
export const PATRON_TAG_LENGTH = 8;

/** The smallest key accepted: 256 bits. */
export const MIN_PATRON_TAG_KEY_BYTES = 32;

/**
 * A short keyed tag of (patron, vendor): something the gateway hands the browser bound to one
 * patron at one vendor (a cache validator, a vendor cookie) carries it, and comes back to that
 * vendor only while the same patron is signed in. The tag says nothing about the patron by itself.
 */
export interface PatronTagger {
  /** 8 base64url characters: HMAC-SHA256(key, lp(patronId, vendorId)), first 48 bits. */
  tag(patronId: string, vendorId: string): string;
}

/**
 * `key` is a secret of its own (derive it from the gateway's key material for this purpose only).
 * Tags are remembered in a bounded cache: a patron's requests repeat.
 */
export function createPatronTagger(key: Uint8Array, options: { cacheSize?: number } = {}): PatronTagger {
  if (key.length < MIN_PATRON_TAG_KEY_BYTES) throw new RangeError(`the patron tag key must be at least ${MIN_PATRON_TAG_KEY_BYTES} bytes`);
  const secret = Buffer.from(key);
  const cache = new LRUCache<string, string>({ max: options.cacheSize ?? 10_000 });
  return Object.freeze({
    tag(patronId: string, vendorId: string): string {
      // The NUL separator cannot occur in a vendor id, so the cache key is unambiguous.
      const cacheKey = `${vendorId}\u0000${patronId}`;
      let value = cache.get(cacheKey);
      if (value === undefined) {
        value = createHmac('sha256', secret).update(encodeLengthPrefixed([patronId, vendorId])).digest().subarray(0, 6).toString('base64url');
        cache.set(cacheKey, value);
      }
      return value;
    },
  });
}

/** HKDF salt: names the purpose, so the derived key is useless for anything else. */
const TAG_KEY_SALT = Buffer.from('patron-privacy-gateway/patron-tag/v1', 'utf8');

/** The tag key derived from one of the gateway's secrets (HKDF-SHA256, 32 bytes). */
export function derivePatronTagKey(secret: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, TAG_KEY_SALT, Buffer.alloc(0), 32));
}
