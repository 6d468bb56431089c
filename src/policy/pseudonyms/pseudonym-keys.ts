import { createHmac, hkdfSync } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { encodeBase32 } from './base32.ts';
import { encodeLengthPrefixed } from './length-prefix.ts';

/** HKDF salt: names the purpose, so keys derived for pseudonyms are useless for anything else. */
const HKDF_SALT = Buffer.from('patron-privacy-gateway/pseudonym/v1', 'utf8');

/** Bytes of HMAC output kept: 160 bits. */
export const PSEUDONYM_BYTES = 20;

/** The smallest master secret accepted: 256 bits. */
export const MIN_MASTER_SECRET_BYTES = 32;

/**
 * Pairwise pseudonyms. `pseudonymize(vendorId, patronId)` is stable for one patron and vendor,
 * different for every other vendor, and changes when the key epoch changes (rotation).
 */
export interface PseudonymKeys {
  /** The key epoch in force; bump it to rotate every pseudonym. */
  readonly epoch: number;
  pseudonymize(vendorId: string, patronId: string): string;
}

export interface PseudonymKeyOptions {
  /** The one master secret, at least 32 bytes. Comes from the environment or a file, never the repository. */
  readonly masterSecret: Uint8Array;
  readonly epoch: number;
  /** How many per-vendor derived keys to keep (0 derives every time; used by the benchmark). */
  readonly cacheSize?: number;
  /**
   * How many computed pseudonyms to keep in memory (0: none). A patron's requests repeat, and one
   * HMAC costs about as much as the rest of the minimizer; the cache is bounded and never written
   * anywhere.
   */
  readonly pseudonymCacheSize?: number;
}

/** Derives the per-vendor key: HKDF-SHA256(master, salt, info = lp(vendorId, epoch)), 32 bytes. */
export function deriveVendorKey(masterSecret: Uint8Array, vendorId: string, epoch: number): Buffer {
  return Buffer.from(hkdfSync('sha256', masterSecret, HKDF_SALT, encodeLengthPrefixed([vendorId, String(epoch)]), 32));
}

/** HMAC-SHA256(vendorKey, lp(vendorId, patronId)), first 160 bits, lower-case base32 (32 characters). */
export function computePseudonym(vendorKey: Uint8Array, vendorId: string, patronId: string): string {
  const mac = createHmac('sha256', vendorKey).update(encodeLengthPrefixed([vendorId, patronId])).digest();
  return encodeBase32(mac.subarray(0, PSEUDONYM_BYTES));
}

export function createPseudonymKeys(options: PseudonymKeyOptions): PseudonymKeys {
  if (options.masterSecret.length < MIN_MASTER_SECRET_BYTES) {
    throw new RangeError(`the pseudonym master secret must be at least ${MIN_MASTER_SECRET_BYTES} bytes`);
  }
  if (!Number.isInteger(options.epoch) || options.epoch < 1) throw new RangeError('the key epoch must be a whole number from 1');
  const master = Buffer.from(options.masterSecret);
  const cacheSize = options.cacheSize ?? 1000;
  const cache = cacheSize > 0 ? new LRUCache<string, Buffer>({ max: cacheSize }) : undefined;
  const keyFor = (vendorId: string): Buffer => {
    let key = cache?.get(vendorId);
    if (key === undefined) {
      key = deriveVendorKey(master, vendorId, options.epoch);
      cache?.set(vendorId, key);
    }
    return key;
  };
  const pseudonymCacheSize = options.pseudonymCacheSize ?? 10_000;
  const pseudonyms = pseudonymCacheSize > 0 ? new LRUCache<string, string>({ max: pseudonymCacheSize }) : undefined;
  const pseudonymize = (vendorId: string, patronId: string): string => {
    if (!pseudonyms) return computePseudonym(keyFor(vendorId), vendorId, patronId);
    // The NUL separator cannot occur in a vendor id, so the cache key is unambiguous.
    const cacheKey = `${vendorId}\u0000${patronId}`;
    let value = pseudonyms.get(cacheKey);
    if (value === undefined) {
      value = computePseudonym(keyFor(vendorId), vendorId, patronId);
      pseudonyms.set(cacheKey, value);
    }
    return value;
  };
  return Object.freeze({ epoch: options.epoch, pseudonymize });
}
