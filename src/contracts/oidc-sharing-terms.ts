import type { CompiledContract } from './compiled-contract.ts';
import type { CompiledOidcClaim } from './compiled-oidc-delivery.ts';

/** The shape of sharing-terms.ts's terms, restated here so that the two files do not import each other. */
type Direction = 'wider' | 'narrower' | 'neutral';
type SharingSubject = Omit<CompiledContract, 'noticeVersion'>;
interface SharingTerm {
  readonly path: string;
  readonly describe: (contract: SharingSubject) => string;
  readonly compare: (before: SharingSubject, after: SharingSubject) => { readonly direction: Direction; readonly meaning: string };
}
interface ListedTerm {
  readonly path: string;
  readonly describe: (contract: SharingSubject) => string;
  readonly meaning: string;
}

const NONE = '(none)';

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
  {
    path: 'identity.oidc.redirectUris',
    describe: (c) => (redirectUris(c).length === 0 ? NONE : [...redirectUris(c)].sort().join(', ')),
    compare: (before, after) => {
      const had = new Set(redirectUris(before));
      const added = redirectUris(after).filter((uri) => !had.has(uri));
      return added.length > 0 ? { direction: 'wider', meaning: `sign-ins may now return to ${added.join(', ')}` } : { direction: 'narrower', meaning: 'sign-ins may return to fewer addresses' };
    },
  },
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
export const OIDC_CLIENT_TERMS: ReadonlyArray<ListedTerm> = [
  { path: 'identity.oidc.clientId', describe: (c) => c.identity.oidc?.clientId ?? NONE, meaning: 'the client id the vendor signs in with' },
  { path: 'identity.oidc.auth', describe: (c) => c.identity.oidc?.auth.method ?? NONE, meaning: 'how the vendor\'s client authenticates (a secret, or its own keys)' },
  { path: 'identity.oidc.scopes', describe: (c) => (c.identity.oidc ? c.identity.oidc.scopes.join(' ') : NONE), meaning: 'the scopes the vendor may ask for (they never change the claims)' },
];
