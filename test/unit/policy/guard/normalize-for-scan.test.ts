import { describe, expect, it } from 'vitest';
import { normalizeForScan } from '../../../../src/policy/guard/normalize-for-scan.ts';

describe('normalizeForScan', () => {
  it.each([
    ['ASCII text is returned as it is (the common case costs one scan)', 'q=dune&page=2', 'q=dune&page=2'],
    ['fullwidth digits and letters become ASCII (NFKC)', '２１ＡＢ', '21AB'],
    ['superscript and circled digits become digits (NFKC)', '²①', '21'],
    ['Arabic-Indic digits become ASCII digits (digit value; NFKC keeps them)', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['extended Arabic-Indic (Persian) digits become ASCII digits', '۰۱۹', '019'],
    ['Devanagari, Bengali and Thai digits become ASCII digits', '९৯๙०', '9990'],
    ['Adlam digits (outside the BMP) become ASCII digits', '\u{1E950}\u{1E959}', '09'],
    ['Myanmar Shan digits (a second run in the same script) are read from their own zero', '\u1090\u1099', '09'],
    ['zero-width space, joiners and word joiner are removed', 'a\u200Bb\u200Cc\u200Dd\u2060e', 'abcde'],
    ['soft hyphen and byte order mark are removed', 'a\u00ADb\uFEFFc', 'abc'],
    ['bidi controls are removed', '\u202Ea\u2066b\u200Fc', 'abc'],
    ['combining grapheme joiner and variation selectors are removed', 'a\u034Fb\uFE0Fc\u{E0100}d', 'abcd'],
    ['Hangul fillers are removed', 'a\u3164b\u115Fc', 'abc'],
    ['letters with accents stay composed letters (NFKC composes, it does not strip)', 'Jose\u0301', 'José'],
    ['ASCII digits next to other digits keep their value', '1٢3', '123'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeForScan(input)).toBe(expected);
  });
});
