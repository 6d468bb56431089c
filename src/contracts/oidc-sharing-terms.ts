import type { CompiledOidcClaim } from './compiled-oidc-delivery.ts';

import { NONE, setTerm, type PeriodTerm, type SharingSubject, type SharingTerm } from './sharing-term.ts';


/** Where a released value goes in the ID token, in words: `ageBand -> ageBand`, `email -> email`, `postalCode -> address.postal_code`. */
export function describeOidcClaim(claim: CompiledOidcClaim): string {
  return 'claim' in claim.place ? claim.place.claim : `address.${claim.place.address}`;
}

function redirectUris(c: SharingSubject): ReadonlyArray<string> {
  return c.identity.oidc?.redirectUris ?? [];
}

/**
 * What an oidc contract says about where signed-in patrons' tokens go and under which names: the
 * redirect URIs (a new one is a new place the code, and so the view, can reach) and the claim
 * names. A contract of another delivery describes each as "(none)". They feed the notice version.
 */
export const OIDC_SHARING_TERMS: ReadonlyArray<SharingTerm> = [
  setTerm('identity.oidc.redirectUris', redirectUris, (added) => `sign-ins may now return to ${added.join(', ')}`, 'sign-ins may return to fewer addresses'),
  {
    path: 'identity.oidc.claims',
    describe: (c) => (c.identity.oidc ? [`sub=${c.identity.oidc.subjectView}`, ...c.identity.oidc.claims.map((claim) => `${describeOidcClaim(claim)}=${claim.view}`)].join(', ') : NONE),
    compare: () => ({ direction: 'neutral', meaning: 'the ID token claims that carry the vendor view' }),
  },
];

/**
 * The client's registration besides where it returns: listed by the diff (neutral), left out of
 * the notice version, since none of them changes what patrons share.
 */
export const OIDC_CLIENT_TERMS: ReadonlyArray<PeriodTerm> = [
  { path: 'identity.oidc.clientId', describe: (c) => c.identity.oidc?.clientId ?? NONE, meaning: 'the client id the vendor signs in with' },
  { path: 'identity.oidc.auth', describe: (c) => c.identity.oidc?.auth.method ?? NONE, meaning: 'how the vendor\'s client authenticates (a secret, or its own keys)' },
  { path: 'identity.oidc.scopes', describe: (c) => (c.identity.oidc ? c.identity.oidc.scopes.join(' ') : NONE), meaning: 'the scopes the vendor may ask for (they never change the claims)' },
];
