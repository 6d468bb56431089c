import type { ActionName } from './action-names.ts';
import type { CanonicalField } from './canonical-fields.ts';

/**
 * Where one released value goes in an OpenID Connect ID token: a top-level claim, or a member of
 * the standard `address` claim (OpenID Connect Core 5.1.1).
 */
export type OidcClaimPlace = { readonly claim: string } | { readonly address: string };

/**
 * The standard OpenID Connect claim (Core 5.1) that carries a released value as it is, by field
 * and action. Only values that mean exactly what the standard claim means are mapped: a passed
 * field, the `city` and `state` generalizations (which keep the value as it is), and `birthYear`
 * (Core 5.1 lets `birthdate` hold the year alone). Anything else (an age band, a ZIP prefix, an
 * email domain, a patron type) has no standard claim and keeps its name in the vendor view.
 */
const STANDARD_PLACES: ReadonlyArray<{ readonly field: CanonicalField; readonly action: ActionName; readonly to?: string; readonly place: OidcClaimPlace }> = [
  { field: 'firstName', action: 'pass', place: { claim: 'given_name' } },
  { field: 'lastName', action: 'pass', place: { claim: 'family_name' } },
  { field: 'email', action: 'pass', place: { claim: 'email' } },
  { field: 'phone', action: 'pass', place: { claim: 'phone_number' } },
  { field: 'birthDate', action: 'pass', place: { claim: 'birthdate' } },
  { field: 'birthDate', action: 'generalize', to: 'birthYear', place: { claim: 'birthdate' } },
  { field: 'language', action: 'pass', place: { claim: 'locale' } },
  { field: 'address.street', action: 'pass', place: { address: 'street_address' } },
  { field: 'address.city', action: 'pass', place: { address: 'locality' } },
  { field: 'address.city', action: 'generalize', to: 'city', place: { address: 'locality' } },
  { field: 'address.state', action: 'pass', place: { address: 'region' } },
  { field: 'address.state', action: 'generalize', to: 'state', place: { address: 'region' } },
  { field: 'address.postalCode', action: 'pass', place: { address: 'postal_code' } },
];

/**
 * The standard place of a released value, or undefined when OpenID Connect has no claim that means
 * it (then the contract's `as` name is the claim).
 */
export function findStandardClaim(field: CanonicalField, action: ActionName, generalization: string | undefined): OidcClaimPlace | undefined {
  return STANDARD_PLACES.find((entry) => entry.field === field && entry.action === action && entry.to === generalization)?.place;
}

/**
 * Claims the provider sets itself (Core 2 and 3.1.3.6, JWT registered claims) or that have a
 * standard meaning a vendor view may not borrow: a contract's `as` name may not be one of them.
 */
export const RESERVED_OIDC_CLAIMS: ReadonlySet<string> = new Set([
  'iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'azp', 'auth_time', 'acr', 'amr', 'at_hash', 'c_hash', 's_hash', 'sid', 'cnf',
  'address', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
  'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'updated_at',
]);

/** The scopes a vendor's client may ask for. They name what the client asks; they never change what it gets. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone'] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];
