import { describe, expect, it } from 'vitest';
import { readPatronField } from '../../../src/policy/patron.ts';
import type { CanonicalField } from '../../../src/policy/canonical-fields.ts';

const patron = {
  patronId: 'p-1',
  email: 'a@example.org',
  address: { street: '1 Main St', city: 'Westport', state: 'CT', postalCode: '06880' },
  consents: ['x'],
};

describe('readPatronField', () => {
  it.each([
    ['address.street', '1 Main St'],
    ['address.city', 'Westport'],
    ['address.state', 'CT'],
    ['address.postalCode', '06880'],
    ['email', 'a@example.org'],
    ['consents', ['x']],
    ['phone', undefined],
  ] as Array<[CanonicalField, unknown]>)('%s reads its own value (each address part from its own key)', (field, expected) => {
    expect(readPatronField(patron, field)).toEqual(expected);
  });

  it('address parts of a patron without an address are undefined (not an error)', () => {
    expect(readPatronField({ patronId: 'p-2' }, 'address.city')).toBeUndefined();
  });
});
