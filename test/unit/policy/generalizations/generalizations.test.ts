import { describe, expect, it } from 'vitest';
import { GENERALIZATIONS } from '../../../../src/policy/generalizations/index.ts';
import type { Patron } from '../../../../src/policy/patron.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const patron: Patron = {
  patronId: 'p-1',
  email: 'Ana.Reader@Example.ORG',
  birthDate: '1988-04-12',
  address: { street: '1 Main St', city: 'Westport', state: 'ct', postalCode: '06880' },
};

describe('generalizations', () => {
  it.each([
    ['birthYear', '1988-04-12', patron, 1988],
    ['ageBand', '1988-04-12', patron, '18-64'],
    ['ageBand', '1961-11-29', patron, '65+'],
    ['ageBand', '2021-01-01', patron, '0-5'],
    ['isMinor', '2008-11-30', patron, true],
    ['isMinor', '2008-11-29', patron, false],
    ['isUnder13', '2013-11-30', patron, true],
    ['isUnder13', '2013-11-29', patron, false],
    ['postalCode3', '06880', patron, '068'],
    ['postalCode3', '06880-1234', patron, '068'],
    ['postalCode3', '068801234', patron, '068'],
    ['postalCode3', '03631', patron, '000'],
    ['postalCode3', '89301', patron, '000'],
    ['city', 'Westport', patron, 'Westport'],
    ['state', 'ct', patron, 'CT'],
    ['emailDomain', 'Ana.Reader@Example.ORG', patron, 'example.org'],
    ['emailDomain', 'odd@name@host.example', patron, 'host.example'],
  ])('%s turns %j into %j', (name, value, p, expected) => {
    expect(GENERALIZATIONS.get(name)?.apply(value, p, NOW, {})).toEqual(expected);
  });

  it.each([
    ['postalCode3', 'SW1A 1AA', 'a postal code that is not a US ZIP'],
    ['postalCode3', '0688', 'a four-digit code'],
    ['emailDomain', 'no-at-sign', 'an email without @'],
    ['emailDomain', 'trailing@', 'an email with nothing after @'],
    ['ageBand', '2030-01-01', 'a birth date in the future'],
    ['birthYear', 'not-a-date', 'a malformed birth date'],
    ['isMinor', '1990-02-30', 'an impossible birth date'],
  ])('%s withholds (returns undefined) for %j: %s', (name, value) => {
    expect(GENERALIZATIONS.get(name)?.apply(value, patron, NOW, {})).toBeUndefined();
  });

  it('city and state withhold when the patron has no such part of the address', () => {
    const bare: Patron = { patronId: 'p-2', address: { street: '1 Main St' } };
    expect(GENERALIZATIONS.get('city')?.apply('1 Main St', bare, NOW, {})).toBeUndefined();
    expect(GENERALIZATIONS.get('state')?.apply('1 Main St', bare, NOW, {})).toBeUndefined();
  });

  it('every generalization names the fields it applies to and a plain description', () => {
    for (const g of GENERALIZATIONS.values()) {
      expect(g.appliesTo.length).toBeGreaterThan(0);
      expect(g.describe).toMatch(/^[a-z]/);
    }
  });
});
