import { describe, expect, it } from 'vitest';
import { createPatronGuard, decodeForScan } from '../../../../src/policy/guard/patron-guard.ts';

const guard = createPatronGuard({
  patronId: 'p-77812',
  barcode: '29000000000001',
  firstName: 'Ada',
  lastName: 'Lovelace-Byron',
  email: 'Ada.Demo@Example.org',
  phone: '(203) 555-0187',
  address: { street: '1 Sample Lane' },
  birthDate: '1988-04-12',
});
const scan = (text: string) => guard.count(decodeForScan(text));

describe('patron-value guard', () => {
  it.each([
    ['the barcode', 'q=29000000000001'],
    ['the internal id', 'ref p-77812'],
    ['the email in another letter case', 'ADA.DEMO@EXAMPLE.ORG'],
    ['the email URL-encoded', 'ada.demo%40example.org'],
    ['the email double-encoded', 'ada.demo%2540example.org'],
    ['the phone with parentheses', '(203) 555-0187'],
    ['the phone with dots', '203.555.0187'],
    ['the phone as bare digits', '2035550187'],
    ['the phone with a country code', '+1 203 555 0187'],
    ['the first name as a word', 'books by ada'],
    ['the last name with + for spaces', 'author=lovelace-byron+biography'],
    ['the full name', 'Ada+Lovelace-Byron'],
    ['the street address with + for spaces', '1+Sample+Lane'],
    ['the birth date', 'dob=1988-04-12'],
    ['the birth date in US form', '4/12/1988'],
    ['the birth date compact', '19880412'],
    ['the barcode in base64', 'token=MjkwMDAwMDAwMDAwMDE='],
    ['the barcode in unpadded base64', 'MjkwMDAwMDAwMDAwMDE'],
    ['the email in URL-safe base64', Buffer.from('Ada.Demo@Example.org').toString('base64url')],
  ])('catches %s', (_name, text) => {
    expect(scan(text)).toBeGreaterThan(0);
  });

  it.each([
    ['a name inside another word', 'banana cadaver'],
    ['an unrelated number', 'isbn 9780140449136'],
    ['part of the phone number', '555-0187'],
    ['another date', '1988-04-13'],
    ['an empty string', ''],
  ])('does not flag %s', (_name, text) => {
    expect(scan(text)).toBe(0);
  });

  it('does not match names that are too short or everyday words', () => {
    const short = createPatronGuard({ patronId: 'p-1', firstName: 'Al', lastName: 'Rose' });
    expect(short.count('al rose garden')).toBe(1); // only the full name "Al Rose"
    expect(short.count('al')).toBe(0);
    expect(short.count('rose garden')).toBe(0);
  });

  it('redacts every occurrence and counts them', () => {
    expect(guard.redact('card 29000000000001 or 29000000000001, mail ada.demo@example.org')).toEqual({ text: 'card [redacted] or [redacted], mail [redacted]', found: 3 });
  });

  it('treats regular-expression characters in values literally', () => {
    const odd = createPatronGuard({ patronId: 'a.b*c(d)', email: 'x+y@ex.org' });
    expect(odd.count('aXbbbcd')).toBe(0);
    expect(odd.count('a.b*c(d)')).toBe(1);
    expect(odd.count('x+y@ex.org')).toBe(1);
  });

  it('never throws on malformed percent-encoding', () => {
    expect(() => scan('%E0%A4%A')).not.toThrow();
  });
});
