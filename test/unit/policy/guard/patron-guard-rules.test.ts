import { describe, expect, it } from 'vitest';
import { createPatronGuard, decodeForScan, REDACTED } from '../../../../src/policy/guard/patron-guard.ts';
import type { Patron } from '../../../../src/policy/patron.ts';

/**
 * One row per matching rule of the guard. Each test builds its guard inside the test (not when
 * the file loads), so mutation testing sees every rule being compiled, not only being applied.
 */
const count = (patron: Patron, text: string): number => createPatronGuard(patron).count(text);
const id = { patronId: 'p-1' };

describe('patron guard rules', () => {
  it.each([
    // literal values: at least 4 characters, anywhere, any case, spaces flexible
    ['an id of 4 characters is matched (the minimum)', { patronId: 'p-12' }, 'ref P-12 here', 1],
    ['an id of 3 characters is not matched (too short to tell from ordinary text)', { patronId: 'p-1' }, 'ref p-1 here', 0],
    ['an id padded with spaces is matched without them (values are trimmed)', { patronId: '  p-12  ' }, 'ref p-12', 1],
    ['a barcode inside a longer token is matched (anywhere, not only as a word)', { ...id, barcode: '29000001' }, 'x29000001y', 1],
    ['an email in another case is matched', { ...id, email: 'Ana@Example.org' }, 'ANA@EXAMPLE.ORG', 1],
    ['a street of 6 characters is matched', { ...id, address: { street: '1 Elm' + 'x' } }, 'at 1 elmx', 1],
    ['a street of 5 characters is not matched (streets need 6)', { ...id, address: { street: '1 Elm' } }, 'at 1 elm', 0],
    ['a street is matched with +, _ or several spaces between words (form and URL encodings)', { ...id, address: { street: '1 Sample Lane' } }, '1+Sample_Lane and 1   sample lane', 2],
    ['a street with two spaces inside is matched with one (any run of separators)', { ...id, address: { street: '1  Sample Lane' } }, '1 Sample Lane', 1],
    ['a street written without spaces is not matched (a space needs at least one separator)', { ...id, address: { street: '1 Sample Lane' } }, '1SampleLane', 0],
    // phone: last 10 digits, or all of 7 to 9
    ['a phone with a country code is matched by its last 10 digits', { ...id, phone: '+1 (203) 555-0187' }, 'call 2035550187', 1],
    ['the country code is not needed to match (only the last 10 digits count)', { ...id, phone: '001 203 555 0187' }, 'call 203/555/0187', 1],
    ['the end of a long phone number alone is not matched (it takes all of the last 10 digits)', { ...id, phone: '+1 (203) 555-0187' }, 'room 7, floor 0187', 0],
    ['a 7-digit phone is matched whole', { ...id, phone: '555-0187' }, 'tel 555 0187', 1],
    ['a 6-digit phone is not matched (too short to be told from other numbers)', { ...id, phone: '55-0187' }, 'tel 550187', 0],
    ['digits of a phone with more than 3 separators between them are not matched', { ...id, phone: '555-0187' }, '555 -- - 0187', 0],
    // names: 3+ letters, whole words, not everyday words
    ['a first name is matched as a whole word', { ...id, firstName: 'Marisol' }, 'by marisol.', 1],
    ['a first name inside another word is not matched', { ...id, firstName: 'Ada' }, 'adams and canada', 0],
    ['a name followed by a digit is not matched (it is part of a token)', { ...id, firstName: 'Ada' }, 'ada2', 0],
    ['a name of 3 letters is matched (the minimum)', { ...id, firstName: 'Ada' }, 'books by ada', 1],
    ['a name padded with spaces is matched without them (names are trimmed)', { ...id, firstName: '  Marisol ' }, 'by marisol.', 1],
    ['a name with two spaces inside is matched with one (any run of separators)', { ...id, lastName: 'de  la Cruz' }, 'de la cruz', 1],
    ['a name of 2 letters is not matched (too short)', { ...id, firstName: 'Al' }, 'al', 0],
    ['a name with fewer than 3 letters once punctuation is left out is not matched', { ...id, lastName: "O'B" }, "o'b", 0],
    ['a name that is an everyday word is not matched alone', { ...id, firstName: 'June' }, 'due in june', 0],
    ['a two-word name is matched with + between its words', { ...id, lastName: 'de la Cruz' }, 'de+la+cruz', 1],
    ['first and last name are matched together even when each is an everyday word', { ...id, firstName: 'June', lastName: 'Rose' }, 'june.rose and june rose', 2],
    ['everyday first and last names apart are not matched', { ...id, firstName: 'June', lastName: 'Rose' }, 'june is a rose', 0],
    // birth date in its written forms
    ['a birth date in ISO form is matched', { ...id, birthDate: '1988-04-12' }, 'dob 1988-04-12', 1],
    ['a birth date compact is matched as a whole number', { ...id, birthDate: '1988-04-12' }, 'd=19880412', 1],
    ['a compact date inside a longer number is not matched', { ...id, birthDate: '1988-04-12' }, '1198804123', 0],
    ['a birth date in US form without leading zeros is matched', { ...id, birthDate: '1988-04-02' }, 'on 4/2/1988', 1],
    ['a birth date in US form with leading zeros is matched', { ...id, birthDate: '1988-04-02' }, 'on 04/02/1988', 1],
    ['a US date preceded by a digit is not matched (it is another date)', { ...id, birthDate: '1988-04-02' }, '14/2/1988', 0],
    ['a malformed birth date adds no date rule (nothing reliable to look for)', { ...id, birthDate: '1988-4-2' }, '1988-4-2 4/2/1988', 0],
    ['a birth date with extra text adds no date rule', { ...id, birthDate: 'x1988-04-12' }, '1988-04-12', 0],
    ['a birth date with a time after it adds no date rule (only plain dates are trusted)', { ...id, birthDate: '1988-04-12T00' }, '1988-04-12', 0],
    // base64 of barcode and email
    ['a barcode in standard base64 with padding is matched', { ...id, barcode: '29000000000001' }, `t=${Buffer.from('29000000000001').toString('base64')}`, 1],
    ['an email in URL-safe base64 is matched', { ...id, email: 'a.b?c>@example.org' }, Buffer.from('a.b?c>@example.org').toString('base64url'), 1],
    ['an email in standard base64 with + and / is matched', { ...id, email: 'a.b?c>@example.org' }, Buffer.from('a.b?c>@example.org').toString('base64'), 1],
    ['an email whose base64 has a / is matched in URL-safe form, with _', { ...id, email: 'a>?@ex.org' }, 'YT4_QGV4Lm9yZw', 1],
    ['an email whose base64 ends in == is matched without its padding', { ...id, email: 'a>?@ex.org' }, 'v=YT4/QGV4Lm9yZw;', 1],
    ['base64 inside a longer base64 token is not matched (it is another value)', { ...id, barcode: '29000000000001' }, `QQ${Buffer.from('29000000000001').toString('base64').replace(/=+$/, '')}`, 0],
    ['a 4-character barcode is matched in base64 (the minimum)', { ...id, barcode: 'abcd' }, 'YWJjZA', 1],
    ['a 3-character barcode is not matched in base64 either', { ...id, barcode: 'abc' }, Buffer.from('abc').toString('base64'), 0],
  ])('%s', (_name, patron, text, expected) => {
    expect(count(patron as Patron, text)).toBe(expected);
  });

  it('a patron with nothing long enough to look for matches nothing, and redact returns the text unchanged', () => {
    const guard = createPatronGuard({ patronId: 'p-1', firstName: 'Al' });
    expect(guard.count('p-1 al')).toBe(0);
    expect(guard.redact('p-1 al')).toEqual({ text: 'p-1 al', found: 0 });
  });

  it('count counts every occurrence; redact replaces each and says how many', () => {
    const guard = createPatronGuard({ patronId: 'p-1234', barcode: '29000001' });
    expect(guard.count('p-1234 and 29000001 and P-1234')).toBe(3);
    expect(guard.redact('p-1234 and 29000001 and P-1234')).toEqual({ text: `${REDACTED} and ${REDACTED} and ${REDACTED}`, found: 3 });
  });

  it('text without patron values is returned as it is', () => {
    const guard = createPatronGuard({ patronId: 'p-1234' });
    expect(guard.count('nothing here')).toBe(0);
    expect(guard.redact('nothing here')).toEqual({ text: 'nothing here', found: 0 });
  });

  it('the guard can be used again and again (no regex state carried between calls)', () => {
    const guard = createPatronGuard({ patronId: 'p-1234' });
    for (let i = 0; i < 3; i++) {
      expect(guard.count('p-1234')).toBe(1);
      expect(guard.redact('p-1234').found).toBe(1);
    }
  });

  it('regex characters in values are taken literally', () => {
    expect(count({ patronId: 'a.b*c' }, 'a.b*c')).toBe(1);
    expect(count({ patronId: 'a.b*c' }, 'axbbbc')).toBe(0);
  });
});

describe('decodeForScan', () => {
  it.each([
    ['plus signs are spaces', 'a+b+c', 'a b c'],
    ['percent-encoding is decoded', 'a%40b', 'a@b'],
    ['double encoding is decoded', 'a%2540b', 'a@b'],
    ['only two layers are decoded (a third stays)', 'a%252540b', 'a%40b'],
    ['an encoded plus stays a plus (plus is turned to space before decoding)', 'a%2Bb', 'a+b'],
    ['text without % or + is returned as it is', 'plain-text', 'plain-text'],
    ['a malformed sequence does not throw: the valid pairs are still decoded', 'a%41%zz%4', 'aA%zz%4'],
    ['a malformed sequence with two encoded layers decodes each valid pair once per layer', '%2541%zz', 'A%zz'],
  ])('%s', (_name, input, expected) => {
    expect(decodeForScan(input)).toBe(expected);
  });
});
