import type { Patron } from '../patron.ts';
import { COMMON_WORD_NAMES } from './common-words.ts';
import { normalizeForScan } from './normalize-for-scan.ts';

/** Where in a request a patron value was found (also a metric label). */
export type CatchLocation = 'path' | 'query' | 'header' | 'body';

/**
 * Finds the patron's own values in text that is about to leave for a vendor. Built once per
 * patron session (one regular expression); `count` and `redact` are pure and cheap. Text is
 * normalized first (normalizeForScan: invisible characters, NFKC, digits of every script). The
 * rule for what is matched (the README's "The patron-value guard" says the same):
 *
 * - patronId and barcode: at least 4 characters, anywhere, up to two spaces, dots, underscores or
 *   dashes between any two characters (card numbers as printed);
 * - email: anywhere, with or without a +sub-address; street address: at least 6 characters;
 * - phone: its last 10 digits (or all, if 7 to 9), up to 3 punctuation marks or spaces between
 *   them, each digit also as a letter of its telephone key (1-800-FLOWERS);
 * - first and last name: at least 3 letters, as a whole word, unless the name is an everyday word
 *   (June, Rose, Will...); the full "first last" name is always matched when both are known;
 * - birth date: year, month or day first with - / . or space, compact, or with the month's name;
 * - base64 (standard or URL-safe, padded or not) of the barcode and the email, as a whole token.
 *
 * All in any letter case. Callers decode what they scan (percent-encoding, `+` for spaces, JSON
 * escapes, character references) first.
 */
export interface PatronGuard {
  /** Number of patron values found in `text`. */
  count(text: string): number;
  /** `text` with every patron value replaced by `[redacted]`, and how many were replaced. */
  redact(text: string): { text: string; found: number };
}

export const REDACTED = '[redacted]';

const NO_MATCH: PatronGuard = { count: () => 0, redact: (text) => ({ text, found: 0 }) };

export function createPatronGuard(patron: Patron): PatronGuard {
  const patterns: string[] = [];
  // The street: any run of spaces, + or _ between its words (form and URL encodings).
  const street = patron.address?.street?.trim();
  if (street && street.length >= 6) patterns.push(anyCaseWords(street, '[\\s+_]+'));
  // Identifiers, as printed on cards and receipts: any spaces, dots, dashes or underscores between characters.
  const identifier = (value: string | undefined): void => {
    const v = normalizeForScan(value?.trim() ?? '');
    if (v.length < 4) return;
    const characters = [...v].filter((c) => !SEPARATOR.test(c));
    patterns.push(characters.map(anyCase).join(`${SEPARATORS}{0,2}`));
  };
  identifier(patron.patronId);
  identifier(patron.barcode);
  email(patron.email, patterns);

  const digits = (patron.phone ?? '').replace(/\D/g, '');
  const phoneDigits = digits.length >= 10 ? digits.slice(-10) : digits.length >= 7 ? digits : '';
  // Each digit, or a letter on its telephone key (1-800-FLOWERS), with up to 3 punctuation marks between.
  if (phoneDigits) patterns.push(`${[...phoneDigits].map((d) => KEYPAD[Number(d)] ?? d).join('[\\s().+\\-/]{0,3}')}`);

  const names = [patron.firstName, patron.lastName].map((n) => n?.trim()).filter((n): n is string => !!n);
  for (const name of names) {
    if (name.replace(/[^\p{L}]/gu, '').length >= 3 && !COMMON_WORD_NAMES.has(name.toLowerCase())) {
      patterns.push(`(?<![\\p{L}\\p{N}])${anyCaseWords(name, '[\\s+_]+')}(?![\\p{L}\\p{N}])`);
    }
  }
  if (names.length === 2) patterns.push(`${anyCaseWords(names[0] as string, '\\s+')}[\\s+_.]+${anyCaseWords(names[1] as string, '\\s+')}`);


  for (const value of [patron.barcode, patron.email]) {
    if (!value || value.length < 4) continue;
    const b64 = Buffer.from(value, 'utf8').toString('base64');
    const unpadded = b64.replace(/=+$/, '');
    const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
    for (const token of new Set([unpadded, urlSafe])) patterns.push(`(?<![A-Za-z0-9+/_-])${escapeRegExp(token)}=*(?![A-Za-z0-9+/_-])`);
  }

  const rules: Rule[] = [];
  if (patterns.length > 0) rules.push(compileRule(patterns, undefined));
  // Every spelling of the birth date holds its year as written: those patterns run only on text
  // that has it (most text has not, and they are the costliest to try at every position).
  const birth = /^(\d{4})-(0[1-9]|1[0-2])-(\d{2})$/.exec(patron.birthDate ?? '');
  if (birth) rules.push(compileRule(datePatterns(birth[1] as string, birth[2] as string, birth[3] as string), birth[1]));
  if (rules.length === 0) return NO_MATCH;
  // Rules apply one after the other, each on the text the previous one redacted, so a stretch of
  // text is counted once however many rules would match it; the text is copied only on a catch.
  const scan = (text: string): { text: string; found: number } => {
    let current = normalizeForScan(text);
    let found = 0;
    for (const rule of rules) {
      if ((rule.gate !== undefined && !current.includes(rule.gate)) || !rule.test.test(current)) continue;
      current = current.replace(rule.global, () => {
        found += 1;
        return REDACTED;
      });
    }
    return found === 0 ? { text, found } : { text: current, found };
  };
  return {
    count: (text) => scan(text).found,
    redact: scan,
  };
}

/** Patterns compiled together, tried only on text that contains `gate` (when there is one). */
interface Rule {
  readonly gate: string | undefined;
  readonly test: RegExp;
  readonly global: RegExp;
}

function compileRule(patterns: ReadonlyArray<string>, gate: string | undefined): Rule {
  // Letter case is spelled out in the patterns (anyCase) rather than left to the i flag, which
  // makes V8 several times slower on every text scanned; base64 tokens are matched exactly.
  const source = patterns.join('|');
  return { gate, test: new RegExp(source, 'u'), global: new RegExp(source, 'gu') };
}

/** What may sit between the characters of an identifier: spaces, dots, underscores and any dash. */
const SEPARATORS = '[\\s._\\p{Pd}]';
const SEPARATOR = new RegExp(`^${SEPARATORS}$`, 'u');

/** Each digit with the letters of its telephone key. */
const KEYPAD: ReadonlyArray<string> = ['0', '1', '[2abcABC]', '[3defDEF]', '[4ghiGHI]', '[5jklJKL]', '[6mnoMNO]', '[7pqrsPQRS]', '[8tuvTUV]', '[9wxyzWXYZ]'];

/** English and Spanish month names (full and short), January first. */
const MONTHS: ReadonlyArray<string> = [
  'january|jan|enero|ene', 'february|feb|febrero', 'march|mar|marzo', 'april|apr|abril|abr', 'may|mayo|may', 'june|jun|junio',
  'july|jul|julio', 'august|aug|agosto|ago', 'september|sept|sep|septiembre|setiembre|set', 'october|oct|octubre', 'november|nov|noviembre', 'december|dec|diciembre|dic',
];

/**
 * A birth date in the ways people write it: year first (1988-04-12, 1988/4/12, 1988.04.12),
 * month first (04/12/1988, 4-12-1988) and day first (12/04/1988, 12.4.1988), with -, /, . or a
 * space between the parts; compact as 19880412, 12041988 or 04121988; and with the month's
 * English or Spanish name (12 April 1988, Apr 12th, 1988, 12 de abril de 1988).
 */
function datePatterns(y: string, m: string, d: string): string[] {
  const sep = '[\\s/.\\p{Pd}]';
  const month = `0?${Number(m)}`;
  const day = `0?${Number(d)}`;
  const name = `(?:${(MONTHS[Number(m) - 1] as string).split('|').map(anyCase).join('|')})\\.?`;
  const gap = `[\\s.,/\\p{Pd}]*(?:${anyCase('de')}\\s+)?`;
  const ordinal = `(?:${['st', 'nd', 'rd', 'th'].map(anyCase).join('|')})?`;
  return [
    `(?<!\\d)${y}${sep}${month}${sep}${day}(?!\\d)`,
    `(?<!\\d)${month}${sep}${day}${sep}${y}(?!\\d)`,
    `(?<!\\d)${day}${sep}${month}${sep}${y}(?!\\d)`,
    `(?<!\\d)(?:${y}${m}${d}|${d}${m}${y}|${m}${d}${y})(?!\\d)`,
    `(?<![\\p{L}\\d])${day}${ordinal}${gap}${name}${gap}${y}(?!\\d)`,
    `(?<![\\p{L}\\d])${name}${gap}${day}${ordinal}${gap}${y}(?!\\d)`,
  ];
}

/**
 * The e-mail address with any sub-address: for jo.reader@example.org also jo.reader+books@example.org
 * (and for jo+lib@example.org, jo@example.org): mail to either reaches the same person.
 */
function email(value: string | undefined, patterns: string[]): void {
  const v = normalizeForScan(value?.trim() ?? '');
  const at = v.lastIndexOf('@');
  if (v.length < 4 || at < 1) {
    if (v.length >= 4) patterns.push(anyCase(v));
    return;
  }
  const local = v.slice(0, at);
  const base = local.split('+')[0] ?? local;
  patterns.push(`${anyCase(base)}(?:[+\\s][^@\\s]{0,64})?@${anyCase(v.slice(at + 1))}`);
}

/**
 * `value` as a pattern matching it in any letter case: each cased letter becomes a class of its
 * lower, upper and own forms (simple case mapping: ß stays ß), everything else is escaped.
 */
function anyCase(value: string): string {
  let out = '';
  for (const c of value) {
    const forms = new Set([c, c.toLowerCase(), c.toUpperCase()].filter((f) => f.length === c.length));
    out += forms.size > 1 ? `[${[...forms].join('')}]` : escapeRegExp(c);
  }
  return out;
}

/** Words of `value` in any letter case, with `separator` (a pattern) between them instead of its spaces. */
function anyCaseWords(value: string, separator: string): string {
  return value.split(/\s+/).map(anyCase).join(separator);
}

function escapeRegExp(value: string): string {
  // Only characters special outside a class: in unicode mode, escaping anything else is an error.
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Percent-decodes up to twice (double-encoded values are caught too); `+` counts as a space. Never throws. */
export function decodeForScan(text: string): string {
  let current = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  for (let i = 0; i < 2 && current.includes('%'); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      current = current.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  }
  return current;
}
