import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { AssertionKey } from '../../../settings/assertion-keys.ts';
import type { VendorView } from '../../../minimize/minimize.ts';

/** Claims the gateway sets itself; a vendor view may not override them. */
const RESERVED_CLAIMS = new Set(['iss', 'aud', 'iat', 'exp', 'nbf', 'jti', 'sub']);

/** Seconds before expiry at which a cached assertion is no longer handed out. */
const REFRESH_MARGIN_SECONDS = 30;

export interface AssertionSigner {
  /** A signed assertion for this patron and vendor: claims = the vendor view, sub = its pseudonym. */
  sign(options: { patronKey: string; contract: CompiledContract; view: VendorView; now: Date }): Promise<string>;
}

/**
 * Signs vendor assertions with the first configured key (ES256 by default), and caches each
 * patron/vendor/view's token until shortly before it expires: an ES256 signature costs about as
 * much as the rest of a proxied request.
 */
export function createAssertionSigner(options: { issuer: string; keys: ReadonlyArray<AssertionKey>; cacheSize?: number }): AssertionSigner {
  const cache = new LRUCache<string, { token: string; exp: number }>({ max: options.cacheSize ?? 10_000 });
  return {
    async sign({ patronKey, contract, view, now }) {
      const key = options.keys[0];
      if (!key) throw new Error('no assertion signing key');
      const seconds = Math.floor(now.getTime() / 1000);
      const viewJson = JSON.stringify(view);
      const cacheKey = `${contract.id}\u0000${contract.noticeVersion}\u0000${patronKey}\u0000${viewJson}`;
      const cached = cache.get(cacheKey);
      if (cached && cached.exp - REFRESH_MARGIN_SECONDS > seconds) return cached.token;
      const claims: Record<string, unknown> = {};
      let sub: string | undefined;
      for (const rule of contract.rules) {
        if (!(rule.as in view)) continue;
        if (rule.action === 'pseudonymize') sub = String(view[rule.as]);
        if (!RESERVED_CLAIMS.has(rule.as)) claims[rule.as] = view[rule.as];
      }
      const exp = seconds + contract.identity.lifetimeSeconds;
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(contract.id)
        .setIssuedAt(seconds)
        .setExpirationTime(exp)
        .setJti(randomUUID());
      if (sub !== undefined) jwt.setSubject(sub);
      const token = await jwt.sign(key.privateKey);
      cache.set(cacheKey, { token, exp }, { ttl: Math.max(1, (exp - REFRESH_MARGIN_SECONDS - seconds) * 1000) });
      return token;
    },
  };
}
