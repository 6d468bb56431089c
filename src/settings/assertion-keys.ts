import { createPrivateKey, createPublicKey } from 'node:crypto';
import { exportJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import type { Problem } from '../lib/problem.ts';

/** A signing key for vendor assertions, and the public half published in the JWKS. */
export interface AssertionKey {
  readonly kid: string;
  readonly alg: 'ES256' | 'EdDSA';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** The private key as a JWK, for the OpenID Connect provider's keystore (oidc-provider signs with JWKs). Never published. */
  readonly privateJwk: JWK;
}

/** Imports PKCS#8 PEM keys; the first one signs, every one is published so rotation never breaks verification. */
export async function importAssertionKeys(keys: ReadonlyArray<{ kid: string; alg: 'ES256' | 'EdDSA'; pem: string }>): Promise<AssertionKey[]> {
  const imported: AssertionKey[] = [];
  for (const key of keys) {
    const privateKey = await importPKCS8(key.pem, key.alg);
    const publicJwk = await exportJWK(createPublicKey(key.pem));
    const privateJwk = createPrivateKey(key.pem).export({ format: 'jwk' }) as JWK;
    imported.push({ kid: key.kid, alg: key.alg, privateKey, publicJwk: { ...publicJwk, kid: key.kid, alg: key.alg, use: 'sig' }, privateJwk: { ...privateJwk, kid: key.kid, alg: key.alg, use: 'sig' } });
  }
  return imported;
}

const KEY_COMMANDS = 'openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 (ES256) or openssl genpkey -algorithm ed25519 (EdDSA)';

/**
 * Imports each key on its own: a key that is not a usable PKCS#8 PEM private key for its `alg`
 * becomes a problem at `where(key)` (the key's text is never quoted), and the others still import.
 */
export async function importAssertionKeysOrProblems(
  keys: ReadonlyArray<{ kid: string; alg: 'ES256' | 'EdDSA'; pem: string }>,
  where: (key: { kid: string }) => { file: string; path: string },
): Promise<{ keys: AssertionKey[]; problems: Problem[] }> {
  const imported: AssertionKey[] = [];
  const problems: Problem[] = [];
  for (const key of keys) {
    try {
      imported.push(...(await importAssertionKeys([key])));
    } catch {
      const type = describeKeyType(key.pem);
      problems.push({
        ...where(key),
        message: type === undefined ? `key "${key.kid}" is not a PKCS#8 PEM private key` : `key "${key.kid}" is a private key of type ${type}, which cannot sign ${key.alg}`,
        fix: type === undefined ? `give a "-----BEGIN PRIVATE KEY-----" PEM file or variable; generate one with ${KEY_COMMANDS}` : `set alg to match the key (ES256 for a P-256 EC key, EdDSA for Ed25519), or generate one with ${KEY_COMMANDS}`,
      });
    }
  }
  return { keys: imported, problems };
}

/** The kind of a readable private key ("ec", "ed25519", "rsa"), or undefined when it is not one. */
function describeKeyType(pem: string): string | undefined {
  try {
    return createPrivateKey(pem).asymmetricKeyType;
  } catch {
    return undefined;
  }
}

/** The public JWKS document served at /.well-known/jwks.json. */
export function renderJwks(keys: ReadonlyArray<AssertionKey>): { keys: JWK[] } {
  return { keys: keys.map((k) => k.publicJwk) };
}
