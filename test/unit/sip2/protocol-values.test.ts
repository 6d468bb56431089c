import { describe, expect, it } from 'vitest';
import { isLanguageCode, LANGUAGE_NAMES, languageCodeOf, languageTagOf, UNKNOWN_LANGUAGE } from '../../../src/sip2/languages.ts';
import { renderSupportedMessages, SUPPORTED_MESSAGE_ORDER } from '../../../src/sip2/messages/status.ts';
import { isSequence, nextSequence } from '../../../src/sip2/sequence.ts';
import { formatSip2Date, parseSip2Date, SIP2_DATE_LENGTH } from '../../../src/sip2/sip2-date.ts';

describe('SIP2 protocol values', () => {
  it.each([
    [0, 1],
    [8, 9],
    [9, 0],
  ] as const)('the sequence after %i is %i (wraps from 9 to 0)', (from, to) => {
    expect(nextSequence(from)).toBe(to);
  });

  it.each([
    [0, true],
    [9, true],
    [10, false],
    [-1, false],
    [1.5, false],
    [Number.NaN, false],
  ])('isSequence(%s) is %s', (value, expected) => {
    expect(isSequence(value)).toBe(expected);
  });

  it.each([
    ['000', 'unknown'],
    ['001', 'English'],
    ['008', 'Spanish'],
    ['027', 'Taiwanese'],
  ])('language %s is %s', (code, name) => {
    expect(LANGUAGE_NAMES[code]).toBe(name);
    expect(isLanguageCode(code)).toBe(true);
  });

  it.each([
    ['en', '001'],
    ['es', '008'],
    ['es-MX', '008'],
    ['EN-gb', '001'],
    ['xx', UNKNOWN_LANGUAGE],
    ['', UNKNOWN_LANGUAGE],
    ['constructor', UNKNOWN_LANGUAGE],
  ])('the SIP2 language code of %j is %s', (tag, code) => {
    expect(languageCodeOf(tag)).toBe(code);
  });

  it.each([
    ['001', 'en'],
    ['024', 'en'],
    ['008', 'es'],
    ['021', 'es'],
    ['000', undefined],
    ['002', undefined],
    ['', undefined],
  ])('the gateway page language of SIP2 code %j is %j (only languages it has pages in)', (code, tag) => {
    expect(languageTagOf(code)).toBe(tag);
  });

  it.each(['028', '1', 'toString', ''])('%j is not a language code', (code) => {
    expect(isLanguageCode(code)).toBe(false);
  });

  it('formats the injected clock as an 18-character UTC date (   Z)', () => {
    const date = formatSip2Date(Date.UTC(2026, 10, 29, 6, 5, 4));
    expect(date).toBe('20261129   Z060504');
    expect(date).toHaveLength(SIP2_DATE_LENGTH);
    expect(formatSip2Date(Date.UTC(999, 0, 2, 13, 0, 0))).toBe('09990102   Z130000');
  });

  it.each([
    ['20261129    061540', { year: 2026, month: 11, day: 29, zone: '    ', hour: 6, minute: 15, second: 40 }],
    ['20261129   Z061540', { zone: '   Z' }],
    ['202611290000061540', { zone: '0000', second: 40 }],
  ])('parses %j leniently', (text, expected) => {
    expect(parseSip2Date(text)).toMatchObject(expected);
  });

  it.each(['19980723 104009', '', '2026112906154000000', 'YYYYMMDD    HHMMSS'])('refuses %j as a date', (text) => {
    expect(parseSip2Date(text)).toBeUndefined();
  });

  it('BX advertises exactly the given messages in the order of the spec', () => {
    expect(renderSupportedMessages(new Set(['23', '99', '97', '93', '63', '35']))).toBe('YNNNYYYYYNNNNNNN');
    expect(renderSupportedMessages(new Set(SUPPORTED_MESSAGE_ORDER))).toBe('Y'.repeat(16));
    expect(renderSupportedMessages(new Set())).toBe('N'.repeat(16));
  });
});
