import type { CompiledOidcDelivery } from '../../../contracts/compiled-oidc-delivery.ts';
import type { VendorView } from '../../../minimize/minimize.ts';
import type { ViewValue } from '../../../policy/generalizations/generalization.ts';

/** The claims of one ID token about the patron: `sub` and the vendor view under OpenID Connect names. */
export type OidcClaims = { readonly sub?: string; readonly address?: Readonly<Record<string, string>> } & Readonly<Record<string, ViewValue | Readonly<Record<string, string>> | undefined>>;

/**
 * The vendor view as ID token claims, and nothing else: `sub` is the pseudonym, each other
 * released value goes to the claim the contract compiled for it (a standard claim, a member of
 * `address`, or its `as` name). Standard claims are strings, as OpenID Connect defines them
 * (`birthdate` "1988" from a birth year); other values keep their type. A value the view does
 * not hold is not invented.
 */
export function mapOidcClaims(view: VendorView, delivery: CompiledOidcDelivery): OidcClaims {
  const claims: Record<string, ViewValue | Record<string, string>> = {};
  // The view's own pseudonym, a string: nothing inherited, nothing else, is a subject.
  const sub = view[delivery.subjectView];
  if (Object.hasOwn(view, delivery.subjectView) && typeof sub === 'string') claims['sub'] = sub;
  let address: Record<string, string> | undefined;
  for (const claim of delivery.claims) {
    if (!Object.hasOwn(view, claim.view)) continue;
    const value = view[claim.view] as ViewValue;
    if ('address' in claim.place) (address ??= {})[claim.place.address] = String(value);
    else claims[claim.place.claim] = claim.place.claim === 'birthdate' ? String(value) : value;
  }
  if (address !== undefined) claims['address'] = address;
  return claims as OidcClaims;
}
