import { describe, expect, it } from 'vitest';
import { findPairwiseId, lookupAffiliation, mapSamlAttributes } from '../../../../../src/channels/federation/saml/map-saml-attributes.ts';
import { compileOrThrow, contractYaml } from '../../../../helpers/contracts.ts';

/** The assertion's attributes come from the vendor view alone, following the contract's plan. */
const plan = compileOrThrow(
  contractYaml({
    upstream: '',
    identity: 'identity:\n  delivery: saml\n  saml:\n    metadata: sp.xml\n    attributes: { ageBand: https://v.example/ageBand, consents: https://v.example/consents }',
    preset: 'preset: personalized',
    fields: 'fields: { birthDate: { action: generalize, to: ageBand }, consents: { action: pass } }',
  }),
).identity.saml!;
const settings = { scope: 'library.test', affiliations: { staff: 'staff' } };

describe('mapping the vendor view to SAML attributes', () => {
  it('scopes the pseudonym and the affiliation, joins the names, and passes the rest as they are', () => {
    const view = { sub: 'ABCdef234', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', patronType: 'staff', ageBand: '18-64', consents: ['a', 'b'] };
    expect(mapSamlAttributes(plan, view, settings)).toStrictEqual([
      { name: 'urn:oasis:names:tc:SAML:attribute:pairwise-id', friendlyName: 'pairwise-id', nameFormat: 'uri', values: ['abcdef234@library.test'] },
      { name: 'urn:oid:2.5.4.42', friendlyName: 'givenName', nameFormat: 'uri', values: ['Ada'] },
      { name: 'urn:oid:2.5.4.4', friendlyName: 'sn', nameFormat: 'uri', values: ['Lovelace'] },
      { name: 'urn:oid:0.9.2342.19200300.100.1.3', friendlyName: 'mail', nameFormat: 'uri', values: ['ada@example.org'] },
      { name: 'https://v.example/ageBand', nameFormat: 'uri', values: ['18-64'] },
      { name: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9', friendlyName: 'eduPersonScopedAffiliation', nameFormat: 'uri', values: ['staff@library.test'] },
      { name: 'https://v.example/consents', nameFormat: 'uri', values: ['a', 'b'] },
      { name: 'urn:oid:2.16.840.1.113730.3.1.241', friendlyName: 'displayName', nameFormat: 'uri', values: ['Ada Lovelace'] },
    ]);
  });

  it('a value the view does not hold gives no attribute, and displayName needs both names', () => {
    const names = mapSamlAttributes(plan, { sub: 'x', firstName: 'Ada' }, settings).map((a) => a.friendlyName);
    expect(names).toEqual(['pairwise-id', 'givenName']);
  });

  it('an empty view gives no attribute at all', () => {
    expect(mapSamlAttributes(plan, {}, settings)).toEqual([]);
  });

  it.each([
    ['a mapped type', { staff: 'staff' }, 'staff', 'staff'],
    ['an unmapped type is member', { staff: 'staff' }, 'juvenile', 'member'],
    ['a name from Object.prototype is not a mapping', {}, 'constructor', 'member'],
  ])('affiliation: %s', (_name, affiliations, type, expected) => {
    expect(lookupAffiliation(affiliations, type)).toBe(expected);
  });

  it('the pairwise id of a view, or none without the pseudonym', () => {
    expect(findPairwiseId(plan, { sub: 'ABC' }, 'library.test')).toBe('abc@library.test');
    expect(findPairwiseId(plan, {}, 'library.test')).toBeUndefined();
    expect(findPairwiseId({ ...plan, pseudonymView: undefined } as never, { sub: 'ABC' }, 'library.test')).toBeUndefined();
  });
});
