import { createPublicKey } from 'node:crypto';
import { exportJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';

/** A signing key for vendor assertions, and the public half published in the JWKS. */
export interface AssertionKey {
  readonly kid: string;
  readonly alg: 'ES256' | 'EdDSA';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** Imports PKCS#8 PEM keys; the first one signs, every one is published so rotation never breaks verification. */
export async function importAssertionKeys(keys: ReadonlyArray<{ kid: string; alg: 'ES256' | 'EdDSA'; pem: string }>): Promise<AssertionKey[]> {
  const imported: AssertionKey[] = [];
  for (const key of keys) {
    const privateKey = await importPKCS8(key.pem, key.alg);
    const publicJwk = await exportJWK(createPublicKey(key.pem));
    imported.push({ kid: key.kid, alg: key.alg, privateKey, publicJwk: { ...publicJwk, kid: key.kid, alg: key.alg, use: 'sig' } });
  }
  return imported;
}

/** The public JWKS document served at /.well-known/jwks.json. */
export function renderJwks(keys: ReadonlyArray<AssertionKey>): { keys: JWK[] } {
  return { keys: keys.map((k) => k.publicJwk) };
}
