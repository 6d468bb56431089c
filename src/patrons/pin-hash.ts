import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** scrypt parameters: N=2^15, r=8, p=1 (OWASP's minimum for scrypt), 32-byte key, 16-byte salt. */
export const PIN_HASH_PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const MAX_MEM = 128 * 1024 * 1024;

/** Hashes a PIN as `scrypt$N$r$p$salt$hash` (base64url). */
export async function hashPin(pin: string, params: { N: number; r: number; p: number } = PIN_HASH_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, KEY_BYTES, { ...params, maxmem: MAX_MEM });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Parses a stored hash; undefined when it is not one of ours. */
function parsePinHash(stored: string): { N: number; r: number; p: number; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 1 << 20 || (N & (N - 1)) !== 0) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length < 8 || key.length !== KEY_BYTES) return undefined;
  return { N, r, p, salt, key };
}

export function isPinHash(stored: string): boolean {
  return parsePinHash(stored) !== undefined;
}

/** A fixed hash compared against when a barcode is unknown, so both cases cost the same time. */
const DECOY_HASH = `scrypt$${PIN_HASH_PARAMS.N}$${PIN_HASH_PARAMS.r}$${PIN_HASH_PARAMS.p}$${Buffer.alloc(16, 7).toString('base64url')}$${Buffer.alloc(KEY_BYTES).toString('base64url')}`;

/**
 * Checks a PIN against a stored hash in constant time. With no stored hash (unknown barcode) it
 * still does the same scrypt work against a decoy and returns false.
 */
export async function verifyPin(pin: string, stored: string | undefined): Promise<boolean> {
  const parsed = parsePinHash(stored ?? DECOY_HASH) ?? parsePinHash(DECOY_HASH);
  if (!parsed) return false;
  const key = await scrypt(pin, parsed.salt, KEY_BYTES, { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: MAX_MEM });
  return timingSafeEqual(key, parsed.key) && stored !== undefined;
}
