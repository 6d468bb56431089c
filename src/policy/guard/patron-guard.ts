import type { Patron } from '../patron.ts';
import { COMMON_WORD_NAMES } from './common-words.ts';

/** Where in a request a patron value was found (also a metric label). */
export type CatchLocation = 'path' | 'query' | 'header' | 'body';

/**
 * Finds the patron's own values in text that is about to leave for a vendor. Built once per
 * patron session; `scan` is pure and cheap. The rule for what is matched:
 *
 * - patronId, barcode, email, street address: at least 4 characters, anywhere, any letter case;
 * - phone: its last 10 digits (or all, if 7 to 9), whatever punctuation or spaces sit between them;
 * - first and last name: at least 3 letters, as a whole word, unless the name is an everyday word
 *   (June, Rose, Will...); the full "first last" name is always matched when both are known;
 * - birth date: 1988-04-12, 19880412, 04/12/1988 and 4/12/1988;
 * - base64 (standard or URL-safe, padded or not) of the barcode and the email, as a whole token.
 *
 * Callers decode what they scan (percent-encoding, `+` for spaces, JSON escapes) first.
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
  const literal = (value: string | undefined, minLength = 4): void => {
    const v = value?.trim();
    // A '+' in the value (jo+library@...) may reach the guard as a space: decodeForScan reads '+' as one.
    if (v && v.length >= minLength) patterns.push(escapeRegExp(v).replace(/\\\+/g, '[+\\s]').replace(/\s+/g, '[\\s+_]+'));
  };
  literal(patron.patronId);
  literal(patron.barcode);
  literal(patron.email);
  literal(patron.address?.street, 6);

  const digits = (patron.phone ?? '').replace(/\D/g, '');
  const phoneDigits = digits.length >= 10 ? digits.slice(-10) : digits.length >= 7 ? digits : '';
  if (phoneDigits) patterns.push(phoneDigits.split('').join('[\\s().+\\-/]{0,3}'));

  const names = [patron.firstName, patron.lastName].map((n) => n?.trim()).filter((n): n is string => !!n);
  for (const name of names) {
    if (name.replace(/[^\p{L}]/gu, '').length >= 3 && !COMMON_WORD_NAMES.has(name.toLowerCase())) {
      patterns.push(`(?<![\\p{L}\\p{N}])${escapeRegExp(name).replace(/\s+/g, '[\\s+_]+')}(?![\\p{L}\\p{N}])`);
    }
  }
  if (names.length === 2) patterns.push(`${escapeRegExp(names[0] ?? '')}[\\s+_.]+${escapeRegExp(names[1] ?? '')}`);

  const birth = /^(\d{4})-(\d{2})-(\d{2})$/.exec(patron.birthDate ?? '');
  if (birth) {
    const [, y, m, d] = birth as unknown as [string, string, string, string];
    patterns.push(`${y}-${m}-${d}`, `(?<!\\d)${y}${m}${d}(?!\\d)`, `(?<!\\d)0?${Number(m)}/0?${Number(d)}/${y}`);
  }

  for (const value of [patron.barcode, patron.email]) {
    if (!value || value.length < 4) continue;
    const b64 = Buffer.from(value, 'utf8').toString('base64');
    const unpadded = b64.replace(/=+$/, '');
    const urlSafe = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
    for (const token of new Set([unpadded, urlSafe])) patterns.push(`(?<![A-Za-z0-9+/_-])${escapeRegExp(token)}=*(?![A-Za-z0-9+/_-])`);
  }

  if (patterns.length === 0) return NO_MATCH;
  const source = patterns.join('|');
  const test = new RegExp(source, 'iu');
  const global = new RegExp(source, 'giu');
  return {
    count(text) {
      if (!test.test(text)) return 0;
      return text.match(global)?.length ?? 0;
    },
    redact(text) {
      if (!test.test(text)) return { text, found: 0 };
      let found = 0;
      const replaced = text.replace(global, () => {
        found += 1;
        return REDACTED;
      });
      return { text: replaced, found };
    },
  };
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
