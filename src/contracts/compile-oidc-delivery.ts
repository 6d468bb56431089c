import type { SecretSource } from '../lib/secret-source-schema.ts';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import { findStandardClaim, RESERVED_OIDC_CLAIMS, type OidcClaimPlace } from '../policy/oidc-claim-names.ts';
import type { CompiledOidcClaim, CompiledOidcDelivery } from './compiled-oidc-delivery.ts';
import type { OidcDeliveryDocument } from './oidc-delivery-schema.ts';

type Push = (path: string, message: string, fix: string) => void;

/** The parts of a contract that `oidc` delivery depends on. */
export interface OidcDeliveryInput {
  /** `identity.oidc`, when the contract has it. */
  readonly oidc: OidcDeliveryDocument | undefined;
  /** Released rules (action other than drop), in canonical order. */
  readonly released: ReadonlyArray<CompiledRule>;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** JWK members that only a private or symmetric key has: a contract publishes public keys only. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
const KEY_TYPES: ReadonlySet<unknown> = new Set(['EC', 'OKP', 'RSA']);

/** Why a redirect URI cannot be registered, or undefined when it can. */
export function checkRedirectUri(text: string): { message: string; fix: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { message: `"${text}" is not an absolute URL`, fix: 'write the full URL the vendor gave, such as https://vendor.example/oidc/callback' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    return { message: `"${text}" is not https (plain http is allowed only on loopback)`, fix: 'use the https URL: the code travels in it' };
  }
  if (url.username !== '' || url.password !== '') return { message: `"${text}" holds a user name or password`, fix: 'remove the credentials from the URL' };
  if (text.includes('#')) return { message: `"${text}" has a fragment`, fix: 'remove the #fragment: redirect URIs may not have one' };
  return undefined;
}

/**
 * Checks and compiles `identity.oidc` with the released rules: a client (id, exact redirect URIs,
 * a secret source or public keys, scopes with openid), a pseudonym for `sub`, and an ID token
 * claim for every other released value (the standard claim where one means the same, the `as`
 * name otherwise, never a reserved or standard claim name). Every problem is pushed; the compiled
 * delivery comes back only when there is none.
 */
export function compileOidcDelivery(input: OidcDeliveryInput, push: Push): CompiledOidcDelivery | undefined {
  let problems = 0;
  const report: Push = (path, message, fix) => {
    problems++;
    push(path, message, fix);
  };
  const oidc = input.oidc;
  if (oidc === undefined) {
    report('identity.oidc', 'oidc delivery needs the vendor\'s client: clientId, redirectUris and a clientSecret or jwks', 'add identity.oidc: { clientId: ..., redirectUris: [https://...], clientSecret: { env: NAME } }');
    return undefined;
  }
  const seenUris = new Set<string>();
  oidc.redirectUris.forEach((uri, index) => {
    const wrong = checkRedirectUri(uri);
    if (wrong) report(`identity.oidc.redirectUris[${index}]`, wrong.message, wrong.fix);
    else if (seenUris.has(uri)) report(`identity.oidc.redirectUris[${index}]`, `"${uri}" is listed twice`, 'list each redirect URI once');
    seenUris.add(uri);
  });
  if ((oidc.clientSecret === undefined) === (oidc.jwks === undefined)) {
    report('identity.oidc', oidc.clientSecret === undefined ? 'the client has no way to authenticate' : 'the client has both a clientSecret and jwks', 'give exactly one: clientSecret: { env: NAME } (or { file: path }), or jwks: { keys: [...] } with the vendor\'s public keys');
  }
  oidc.jwks?.keys.forEach((key, index) => {
    const path = `identity.oidc.jwks.keys[${index}]`;
    if (!KEY_TYPES.has(key['kty'])) report(`${path}.kty`, 'is not EC, OKP or RSA', 'give the vendor\'s public signing key as a JWK');
    const secret = PRIVATE_JWK_MEMBERS.filter((member) => member in key);
    if (secret.length > 0) report(path, `holds private key material (${secret.join(', ')})`, 'publish only the vendor\'s public key: remove the private members, and have the vendor replace the key');
  });
  if (!oidc.scopes.includes('openid')) report('identity.oidc.scopes', 'does not include openid', 'add openid: without it there is no ID token');
  const seenScopes = new Set<string>();
  oidc.scopes.forEach((scope, index) => {
    if (seenScopes.has(scope)) report(`identity.oidc.scopes[${index}]`, `"${scope}" is listed twice`, 'list each scope once');
    seenScopes.add(scope);
  });

  let subjectView: string | undefined;
  const claims: CompiledOidcClaim[] = [];
  for (const rule of input.released) {
    if (rule.action === 'pseudonymize') {
      subjectView = rule.as;
      continue;
    }
    const standard = findStandardClaim(rule.field, rule.action, rule.generalization?.name);
    if (standard === undefined && RESERVED_OIDC_CLAIMS.has(rule.as)) {
      report(`fields.${rule.field}.as`, `"${rule.as}" is a claim OpenID Connect defines, and ${rule.field} (${rule.action}${rule.generalization ? ` to ${rule.generalization.name}` : ''}) does not mean it`, `give it another name with as:, such as ${rule.as}_${rule.generalization?.name ?? 'value'}`);
      continue;
    }
    // No two values can meet on one claim: each field has one standard place, view names are unique
    // (compile-contract checks), and a view name may not be a standard claim (above).
    const place: OidcClaimPlace = standard ?? { claim: rule.as };
    claims.push(Object.freeze({ view: rule.as, field: rule.field, place: Object.freeze(place) }));
  }
  if (subjectView === undefined) {
    report('identity.delivery', 'oidc delivery puts a pseudonym in "sub", but no rule pseudonymizes patronId', 'add fields.patronId: { action: pseudonymize, as: sub } or use preset: pseudonymous');
    return undefined;
  }
  if (problems > 0) return undefined;
  // Exactly one of the two is set (checked above).
  const auth: CompiledOidcDelivery['auth'] = oidc.jwks === undefined ? { method: 'client_secret_basic', secret: oidc.clientSecret as SecretSource } : { method: 'private_key_jwt', jwks: { keys: oidc.jwks.keys } };
  return Object.freeze({
    clientId: oidc.clientId,
    redirectUris: Object.freeze([...oidc.redirectUris]),
    auth: Object.freeze(auth),
    scopes: Object.freeze([...oidc.scopes]),
    subjectView,
    claims: Object.freeze(claims),
  });
}
