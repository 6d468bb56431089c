import { describe, expect, it } from 'vitest';
import { suggestName } from '../../../src/lib/suggest-name.ts';

describe('suggestName (did you mean)', () => {
  it.each([
    ['a missing letter', 'vendorDir', ['publicUrl', 'vendorsDir', 'patrons'], 'vendorsDir'],
    ['two letters swapped', 'pseduonymize', ['pass', 'pseudonymize', 'generalize', 'drop'], 'pseudonymize'],
    ['British spelling', 'pseudonymise', ['pass', 'pseudonymize', 'generalize', 'drop'], 'pseudonymize'],
    ['only the case differs', 'birthdate', ['birthDate', 'barcode'], 'birthDate'],
    ['the last part of a dotted name', 'postalCode', ['address.city', 'address.postalCode'], 'address.postalCode'],
    ['a wrong digit', 'postalCode5', ['postalCode3', 'city', 'state'], 'postalCode3'],
  ])('suggests the near name for %s', (_reason, input, candidates, expected) => {
    expect(suggestName(input, candidates)).toBe(expected);
  });

  it.each([
    ['a name far from every candidate', 'decade', ['birthYear', 'ageBand', 'isMinor', 'isUnder13']],
    ['a short name with two edits', 'ab', ['cd']],
    ['an empty name', '', ['a']],
  ])('suggests nothing for %s (a guess would mislead)', (_reason, input, candidates) => {
    expect(suggestName(input, candidates)).toBeUndefined();
  });
});
