import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** The JWE key-management algorithms a vendor's public key may be used with. */
export type RecipientAlgorithm = 'ECDH-ES+A256KW' | 'RSA-OAEP-256';

export interface RecipientKey {
  readonly key: KeyObject;
  readonly alg: RecipientAlgorithm;
  /** What kind of key, for the summary line: "EC P-256", "X25519", "RSA 3072". */
  readonly description: string;
}

const MAX_KEY_FILE_BYTES = 64 * 1024;
const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/**
 * Reads a vendor's public key from a file: a PEM public key (SPKI, "BEGIN PUBLIC KEY") or a JWK
 * (JSON). EC P-256/384/521 and X25519 keys get ECDH-ES+A256KW, RSA keys of 2048 bits or more
 * RSA-OAEP-256. A private key is refused (the vendor keeps its private key; it sends only the
 * public one). Returns what is wrong, never the key's text.
 */
export async function readRecipientKey(file: string): Promise<RecipientKey | { error: string }> {
  let text: string;
  try {
    const bytes = await readFile(file);
    if (bytes.length > MAX_KEY_FILE_BYTES) return { error: `the recipient key file ${file} is larger than a public key (${MAX_KEY_FILE_BYTES} bytes at most)` };
    text = bytes.toString('utf8').trim();
  } catch {
    return { error: `the recipient key file ${file} cannot be read` };
  }
  let key: KeyObject;
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as Record<string, unknown>;
      if ('d' in jwk || 'p' in jwk) return { error: `the recipient key file ${file} holds a private key; use the vendor's public key (a JWK without "d")` };
      key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } else {
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return { error: `the recipient key file ${file} holds a private key; use the vendor's public key (BEGIN PUBLIC KEY)` };
      key = createPublicKey({ key: text, format: 'pem' });
    }
  } catch {
    return { error: `the recipient key file ${file} is not a PEM public key (BEGIN PUBLIC KEY) or a JWK` };
  }
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve === undefined) return { error: `the recipient key in ${file} is on a curve JWE does not use; ask the vendor for a P-256, P-384, P-521, X25519 or RSA key` };
    return { key, alg: 'ECDH-ES+A256KW', description: `EC ${curve}` };
  }
  if (type === 'x25519') return { key, alg: 'ECDH-ES+A256KW', description: 'X25519' };
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) return { error: `the recipient RSA key in ${file} has ${bits} bits; at least 2048 are needed` };
    return { key, alg: 'RSA-OAEP-256', description: `RSA ${bits}` };
  }
  return { error: `the recipient key in ${file} is a ${type ?? 'unknown'} key, which cannot encrypt; ask the vendor for a P-256, P-384, P-521, X25519 or RSA key` };
}
