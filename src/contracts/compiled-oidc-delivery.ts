import type { SecretSource } from '../lib/secret-source-schema.ts';
import type { CanonicalField } from '../policy/canonical-fields.ts';
import type { OidcClaimPlace, OidcScope } from '../policy/oidc-claim-names.ts';

/** One released value of the vendor view and the ID token claim that carries it. */
export interface CompiledOidcClaim {
  /** Its name in the vendor view (the rule's `as`). */
  readonly view: string;
  readonly field: CanonicalField;
  /** A top-level claim, or a member of `address`. */
  readonly place: OidcClaimPlace;
}

/** How the vendor's client proves itself at the token endpoint. */
export type OidcClientAuth =
  | { readonly method: 'client_secret_basic'; readonly secret: SecretSource }
  | { readonly method: 'private_key_jwt'; readonly jwks: { readonly keys: ReadonlyArray<Readonly<Record<string, unknown>>> } };

/** `identity.oidc` after validation: the client the provider registers, and where each released value goes. */
export interface CompiledOidcDelivery {
  readonly clientId: string;
  readonly redirectUris: ReadonlyArray<string>;
  readonly auth: OidcClientAuth;
  readonly scopes: ReadonlyArray<OidcScope>;
  /** The vendor-view name of the pseudonym: the ID token's `sub`. */
  readonly subjectView: string;
  /** Every other released value, in canonical field order. */
  readonly claims: ReadonlyArray<CompiledOidcClaim>;
}
