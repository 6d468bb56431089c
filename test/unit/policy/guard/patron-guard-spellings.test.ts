import { describe, expect, it } from 'vitest';
import { createPatronGuard, REDACTED } from '../../../../src/policy/guard/patron-guard.ts';
import type { Patron } from '../../../../src/policy/patron.ts';

/**
 * Every spelling the README promises, one field per patron: each row's guard knows only the value
 * under test (the id is too short to match anything), so a row passes only through that value's
 * own rule (no e-mail caught because it happens to start with the first name).
 */
const only = (fields: Omit<Patron, 'patronId'>): Patron => ({ patronId: 'p-1', ...fields });
const count = (patron: Patron, text: string): number => createPatronGuard(patron).count(text);

const CARD = only({ barcode: '21234000123456' });
const MAIL = only({ email: 'reader.k7@mailbox.example' });
const TAGGED_MAIL = only({ email: 'reader.k7+library@mailbox.example' });
const PHONE = only({ phone: '1-800-356-9377' });
const BIRTH = only({ birthDate: '1988-04-12' });
const NAME = only({ lastName: 'Quennell' });

describe('patron guard: the spellings of each value', () => {
  it.each([
    // card numbers as printed: spaces, dashes, dots between characters
    ['a card number with spaces as printed on the card', CARD, 'card 2 1234 00012 3456', 1],
    ['a card number with dashes', CARD, '21234-0001-23456', 1],
    ['a card number with en dashes (any dash)', CARD, '21234–000–123456', 1],
    ['a card number with dots', CARD, '21234.000.123456', 1],
    ['a card number with more than two separators between digits is not matched', CARD, '21234 - - 000123456', 0],
    ['a card number in fullwidth digits (NFKC)', CARD, '２１２３４０００１２３４５６', 1],
    ['a card number in Arabic-Indic digits (digit value, NFKC does not map them)', CARD, '٢١٢٣٤٠٠٠١٢٣٤٥٦', 1],
    ['a card number in Devanagari digits', CARD, '२१२३४०००१२३४५६', 1],
    ['a card number in extended Arabic-Indic digits mixed with ASCII', CARD, '21234۰۰۰123456', 1],
    ['a card number with zero-width spaces inside', CARD, '2123\u200B4000\u200B123456', 1],
    ['a card number with soft hyphens inside', CARD, '21234\u00AD000\u00AD123456', 1],
    ['a card number with a byte order mark and word joiner inside', CARD, '2123\uFEFF4000\u2060123456', 1],
    ['a card number with a variation selector inside', CARD, '2123\uFE0F4000123456', 1],
    ['a card number in mathematical bold digits', CARD, '𝟐𝟏𝟐𝟑𝟒𝟎𝟎𝟎𝟏𝟐𝟑𝟒𝟓𝟔', 1],
    ['a different card number is not matched', CARD, '21234000123457', 0],
    // e-mail
    ['an e-mail in another letter case', MAIL, 'READER.K7@MAILBOX.EXAMPLE', 1],
    ['an e-mail with a sub-address tag (the same mailbox)', MAIL, 'reader.k7+vendor@mailbox.example', 1],
    ['an e-mail with a tag read as a space (form encoding)', MAIL, 'reader.k7 vendor@mailbox.example', 1],
    ['an e-mail with a fullwidth at sign', MAIL, 'reader.k7＠mailbox.example', 1],
    ['an e-mail with a zero-width joiner inside', MAIL, 'reader\u200D.k7@mailbox.example', 1],
    ['a tagged e-mail without its tag (mail still reaches the patron)', TAGGED_MAIL, 'reader.k7@mailbox.example', 1],
    ['a tagged e-mail with another tag', TAGGED_MAIL, 'reader.k7+x@mailbox.example', 1],
    ['another mailbox at the same domain is not matched', MAIL, 'reader.k8@mailbox.example', 0],
    ['the same mailbox at another domain is not matched', MAIL, 'reader.k7@mailbox.example.net'.replace('mailbox.example', 'other.example'), 0],
    // phone: digits or keypad letters
    ['a phone number in digits', PHONE, 'call 800 356 9377', 1],
    ['a phone number with keypad letters (1-800-FLOWERS style)', PHONE, 'call 1-800-FLOWERS', 1],
    ['a phone number with keypad letters in lower case', PHONE, '800-flowers', 1],
    ['a phone number in fullwidth digits', PHONE, '８００ ３５６ ９３７７', 1],
    ['a phone number with a letter from the wrong key is not matched', PHONE, '800-FLOWERT', 0],
    // birth dates
    ['a birth date in ISO form', BIRTH, '1988-04-12', 1],
    ['a birth date year first with slashes', BIRTH, '1988/04/12', 1],
    ['a birth date year first with dots and no zeros', BIRTH, '1988.4.12', 1],
    ['a birth date month first', BIRTH, '04/12/1988', 1],
    ['a birth date month first without zeros, with dashes', BIRTH, '4-12-1988', 1],
    ['a birth date day first with slashes', BIRTH, '12/04/1988', 1],
    ['a birth date day first with dots (European)', BIRTH, '12.04.1988', 1],
    ['a birth date day first without the zero', BIRTH, '12.4.1988', 1],
    ['a birth date day first with spaces', BIRTH, '12 04 1988', 1],
    ['a birth date compact year first', BIRTH, '19880412', 1],
    ['a birth date compact day first', BIRTH, '12041988', 1],
    ['a birth date compact month first', BIRTH, '04121988', 1],
    ['a birth date with the English month name, day first', BIRTH, 'born 12 April 1988', 1],
    ['a birth date with the month name first and an ordinal', BIRTH, 'Apr. 12th, 1988', 1],
    ['a birth date in Spanish', BIRTH, 'nació el 12 de abril de 1988', 1],
    ['a birth date in fullwidth digits', BIRTH, '１９８８-０４-１２', 1],
    ['the day after is not matched', BIRTH, '1988-04-13', 0],
    ['another month name is not matched', BIRTH, '12 May 1988', 0],
    ['a date inside a longer number is not matched', BIRTH, '112/04/19880', 0],
    ['a two-digit year is not matched (stated in the README)', BIRTH, '12.04.88', 0],
    // names
    ['a name in fullwidth letters', NAME, 'ｑｕｅｎｎｅｌｌ', 1],
    ['a name with a soft hyphen inside', NAME, 'Quen\u00ADnell', 1],
    ['a name inside a longer word is not matched', NAME, 'quennells', 0],
  ] as const)('%s', (_name, patron, text, expected) => {
    expect(count(patron, text)).toBe(expected);
  });

  it('redacting normalized text replaces the value and keeps the rest (normalized)', () => {
    const guard = createPatronGuard(CARD);
    expect(guard.redact('ａ ２１２３４０００１２３４５６ b')).toEqual({ text: `a ${REDACTED} b`, found: 1 });
  });

  it('text that holds no patron value is returned exactly as it came, even when it is not ASCII', () => {
    const guard = createPatronGuard(CARD);
    expect(guard.redact('ｆｕｌｌｗｉｄｔｈ ٣')).toEqual({ text: 'ｆｕｌｌｗｉｄｔｈ ٣', found: 0 });
  });

  it('a patron whose values are themselves written with separators or fullwidth digits is matched in plain form', () => {
    expect(count(only({ barcode: '２１２３４ ０００ １２３４５６' }), '21234000123456')).toBe(1);
    expect(count(only({ barcode: '2123-4000' }), 'x21234000x')).toBe(1);
  });

  it('an e-mail without an @ is still matched as it is', () => {
    expect(count(only({ email: 'not-an-address' }), 'NOT-AN-ADDRESS')).toBe(1);
    expect(count(only({ email: '@x.org' }), 'a@x.org @x.org')).toBe(2);
  });
});

describe('patron guard: edges of the e-mail, street and date rules', () => {
  it.each([
    ['an e-mail of 4 characters keeps its sub-address rule (the minimum)', { email: 'a@bc' }, 'a+x@bc', 1],
    ['an e-mail of 3 characters is not matched (too short)', { email: 'a@b' }, 'a@b', 0],
    ['an e-mail starting with @ is matched as it is, without a sub-address rule', { email: '@bcd' }, 'x+y@bcd', 1],
    ['a 4-character value without an @ is matched as it is', { email: 'abcd' }, 'ABCD', 1],
    ['an e-mail padded with spaces is matched without them, tags included', { email: '  k@x.org ' }, 'k+t@x.org', 1],
    ['a street padded with spaces is matched without them', { address: { street: '  1 Elm St  ' } }, 'at 1 elm st.', 1],
    ['a street of 6 characters is matched, with + between words', { address: { street: '1 Elm X' } }, '1+elm+x', 1],
    ['a birth date with month 13 adds no date rule (not a date)', { birthDate: '1988-13-12' }, '1988-13-12 12/13/1988', 0],
    ['a birth date on the 1st with its ordinal', { birthDate: '1988-04-01' }, 'April 1st, 1988', 1],
    ['a birth date on the 2nd with its ordinal', { birthDate: '1988-04-02' }, '2nd of April 1988'.replace(' of', ''), 1],
    ['a birth date on the 3rd with its ordinal', { birthDate: '1988-04-03' }, 'Apr 3rd 1988', 1],
    ['an address without a street adds no street rule (and builds)', { address: { city: 'Springfield' } }, 'Springfield', 0],
    ['a letter whose capital is two letters matches only itself (ß is not S)', { lastName: 'Weiß' }, 'WEIS weis', 0],
    ['a letter whose capital is two letters matches itself', { lastName: 'Weiß' }, 'by weiß', 1],
    ['a name matches only its own letters in either case', { firstName: 'Ada' }, 'wda sda', 0],

  ] as const)('%s', (_name, fields, text, expected) => {
    expect(count(only(fields as Omit<Patron, 'patronId'>), text)).toBe(expected);
  });
});
