import { describe, expect, it } from 'vitest';
import { GENERALIZATIONS } from '../../../../src/policy/generalizations/index.ts';
import type { Patron, PatronValue } from '../../../../src/policy/patron.ts';
import { NOW } from '../../../helpers/contracts.ts';

const apply = (name: string, value: PatronValue, patron: Patron = { patronId: 'p' }) => {
  const generalization = GENERALIZATIONS.get(name);
  if (!generalization) throw new Error(`no generalization ${name}`);
  return generalization.apply(value, patron, NOW, {});
};

describe('generalizations at their edges', () => {
  it.each([
    ['ageBand of a value that is not a date string gives nothing', 'ageBand', true],
    ['ageBand of an invalid date gives nothing (no age, no band)', 'ageBand', '1988-13-45'],
    ['birthYear of a value that is not a string gives nothing', 'birthYear', ['1988-04-12']],
    ['birthYear of an invalid date gives nothing (not a year made up from it)', 'birthYear', '1988-02-30'],
    ['isMinor of a value that is not a string gives nothing', 'isMinor', false],
    ['isMinor of an invalid date gives nothing (unknown, not "adult")', 'isMinor', 'soon'],
    ['isUnder13 of a value that is not a string gives nothing', 'isUnder13', true],
    ['isUnder13 of an invalid date gives nothing (unknown, not "over 13")', 'isUnder13', 'not-a-date'],
    ['emailDomain of a value that is not a string gives nothing', 'emailDomain', true],
    ['emailDomain of an address starting with @ gives nothing (there is no local part)', 'emailDomain', '@example.org'],
    ['emailDomain of an address ending with @ gives nothing (there is no domain)', 'emailDomain', 'ana@'],
    ['postalCode3 of a value that is not a string gives nothing', 'postalCode3', true],
    ['postalCode3 of a ZIP with text before it gives nothing (only US ZIP codes)', 'postalCode3', 'x06880'],
    ['postalCode3 of a ZIP with text after it gives nothing', 'postalCode3', '06880x'],
  ])('%s', (_name, name, value) => {
    expect(apply(name, value)).toBeUndefined();
  });

  it.each([
    ['isUnder13 of a 12-year-old is true', 'isUnder13', '2014-06-01', true],
    ['isUnder13 of a 13-year-old is false', 'isUnder13', '2013-06-01', false],
    ['emailDomain keeps the part after the last @, in lower case', 'emailDomain', 'a@b@Example.ORG', 'example.org'],
    ['postalCode3 of a ZIP+4 gives its first three digits', 'postalCode3', '06880-1234', '068'],
  ])('%s', (_name, name, value, expected) => {
    expect(apply(name, value)).toBe(expected);
  });

  it.each([
    ['city is trimmed', 'city', { address: { city: '  Westport ' } }, 'Westport'],
    ['a blank city gives nothing', 'city', { address: { city: '   ' } }, undefined],
    ['no address gives no city', 'city', {}, undefined],
    ['state is trimmed and upper-cased', 'state', { address: { state: ' ct ' } }, 'CT'],
    ['a blank state gives nothing', 'state', { address: { state: ' ' } }, undefined],
    ['no address gives no state', 'state', {}, undefined],
  ])('%s (read from the patron record)', (_name, name, patron, expected) => {
    expect(apply(name, 'ignored', { patronId: 'p', ...patron })).toBe(expected);
  });
});
