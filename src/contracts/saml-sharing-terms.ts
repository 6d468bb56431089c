
import { NONE, setTerm, type SharingSubject, type SharingTerm } from './sharing-term.ts';

function attributesOf(c: SharingSubject): ReadonlyArray<string> {
  return (c.identity.saml?.attributes ?? []).map((attribute) => `${attribute.friendlyName ?? attribute.name}=${attribute.views.join('+')}`);
}

/**
 * What a saml contract says about the assertion beyond its field rules: the attributes (names and
 * the view values they carry), the NameID (a transient id, or the pairwise id that lets the vendor
 * recognize the patron across sign-ins) and the affiliation mapping. The SP metadata file's
 * addresses are the vendor's, not sharing terms. A contract of another delivery describes each as "(none)".
 */
export const SAML_SHARING_TERMS: ReadonlyArray<SharingTerm> = [
  setTerm('identity.saml.attributes', attributesOf, (added) => `the assertion will carry ${added.join(', ')}`, 'the assertion will carry fewer attributes'),
  {
    path: 'identity.saml.nameId',
    describe: (c) => c.identity.saml?.nameId ?? NONE,
    compare: (_before, after) =>
      after.identity.saml?.nameId === 'pairwise-id'
        ? { direction: 'wider', meaning: 'the NameID will be the pairwise id, the same at every sign-in' }
        : { direction: 'narrower', meaning: 'the NameID will be a fresh transient id at every sign-in' },
  },
  {
    path: 'identity.saml.affiliations',
    describe: (c) => (c.identity.saml?.affiliations ? Object.entries(c.identity.saml.affiliations).map(([type, affiliation]) => `${type}=${affiliation}`).sort().join(', ') : NONE),
    compare: () => ({ direction: 'neutral', meaning: 'patron types map to other eduPerson affiliations' }),
  },
];
