import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { AssertionKey } from '../../../settings/assertion-keys.ts';
import type { MinimizeResult, VendorView } from '../../../minimize/minimize.ts';

/** Claims the gateway sets itself; a vendor view may not override them. */
const RESERVED_CLAIMS = new Set(['iss', 'aud', 'iat', 'exp', 'nbf', 'jti', 'sub']);

/** Seconds before expiry at which a cached assertion is no longer handed out. */
const REFRESH_MARGIN_SECONDS = 30;

export interface AssertionSigner {
  /**
   * A signed assertion for this vendor: claims = the vendor view, sub = its pseudonym. `result` is
   * the minimizer's (remembered) result the view comes from: the signed token is remembered with
   * it, so an unchanged result reuses its token until shortly before it expires, synchronously.
   */
  sign(options: { result: MinimizeResult; contract: CompiledContract; view: VendorView; now: Date }): string | Promise<string>;
}

/**
 * Signs vendor assertions with the first configured key (ES256 by default), and remembers each
 * token with the minimizer result it was made from (a WeakMap: a token lives no longer than the
 * remembered result, whose cache is bounded): an ES256 signature costs about as much as the rest
 * of a proxied request.
 */
export function createAssertionSigner(options: { issuer: string; keys: ReadonlyArray<AssertionKey> }): AssertionSigner {
  const tokens = new WeakMap<MinimizeResult, { readonly contract: CompiledContract; readonly token: string; readonly exp: number }>();
  return {
    sign({ result, contract, view, now }) {
      const seconds = Math.floor(now.getTime() / 1000);
      const known = tokens.get(result);
      if (known !== undefined && known.contract === contract && known.exp - REFRESH_MARGIN_SECONDS > seconds) return known.token;
      const key = options.keys[0];
      if (!key) throw new Error('no assertion signing key');
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
      return jwt.sign(key.privateKey).then((token) => {
        tokens.set(result, { contract, token, exp });
        return token;
      });
    },
  };
}
