const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Characters that render as nothing and a vendor's search or parser may drop: format characters
 * (zero-width space and joiners, soft hyphen, word joiner, byte order mark, bidi controls), the
 * combining grapheme joiner, variation selectors and Hangul fillers.
 */
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u180B-\u180D\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;

/** Decimal digits of any script but ASCII (NFKC leaves Arabic-Indic, Devanagari, Thai... as they are). */
const OTHER_DIGIT = /(?![0-9])\p{Nd}/gu;
const IS_DIGIT = /^\p{Nd}$/u;

/**
 * Text as the guard compares it: invisible characters removed, Unicode NFKC (fullwidth and
 * mathematical letters and digits, ligatures, superscripts and circled digits become plain ones),
 * and every decimal digit of another script replaced by its ASCII digit. ASCII text is returned
 * as it is, at the cost of one scan.
 */
export function normalizeForScan(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const plain = text.replace(INVISIBLE, '').normalize('NFKC');
  return plain.replace(OTHER_DIGIT, readDigit);
}

/** The ASCII digit of a decimal digit: Unicode encodes each script's digits 0 to 9 in one contiguous run. */
function readDigit(digit: string): string {
  const code = digit.codePointAt(0) ?? 0;
  let zero = code;
  while (IS_DIGIT.test(String.fromCodePoint(zero - 1))) zero -= 1;
  return String((code - zero) % 10);
}
