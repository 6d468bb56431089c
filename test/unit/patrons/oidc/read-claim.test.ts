import { describe, expect, it } from 'vitest';
import { readClaim } from '../../../../src/patrons/oidc/read-claim.ts';

const CLAIMS = {
  email: 'a@b.example',
  'https://idp.example/claims/card': '2900',
  address: { postal_code: '06880', nested: { deeper: 'yes' } },
  groups: ['staff', 'readers'],
  nothing: null,
  'address.postal_code': 'own-name-wins',
};

describe('readClaim', () => {
  it.each([
    ['a plain claim by its name', 'email', 'a@b.example'],
    ['a claim whose own name holds dots, by that name (URI-named claims)', 'https://idp.example/claims/card', '2900'],
    ['a claim named exactly like a dotted path is taken before the path', 'address.postal_code', 'own-name-wins'],
    ['a dotted path into an object claim', 'address.nested.deeper', 'yes'],
    ['a whole object claim', 'address.nested', { deeper: 'yes' }],
    ['a list as it is', 'groups', ['staff', 'readers']],
    ['nothing for a missing claim', 'phone_number', undefined],
    ['nothing for a path through a missing member', 'address.street_address.line', undefined],
    ['nothing for a path into a list (lists are not indexed)', 'groups.0', undefined],
    ['nothing for a path through null', 'nothing.inner', undefined],
    ['nothing for a path through a text', 'email.length', undefined],
    ['nothing for inherited properties (no prototype walking)', 'address.toString', undefined],
    ['nothing for __proto__', 'address.__proto__', undefined],
    ['nothing for constructor at the top', 'constructor', undefined],
  ])('reads %s', (_name, path, expected) => {
    expect(readClaim(CLAIMS, path)).toEqual(expected);
  });

  it('keeps null as null when the claim is there (the mapping decides what null means)', () => {
    expect(readClaim(CLAIMS, 'nothing')).toBeNull();
  });
});
