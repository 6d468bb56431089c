import { describe, expect, it } from 'vitest';
import { computeAge } from '../../../src/policy/age.ts';
import { findAgeBand, parseAgeBands } from '../../../src/policy/age-bands.ts';

describe('computeAge', () => {
  it.each([
    ['the day before the 13th birthday', '2013-11-30', '2026-11-29T23:59:59Z', 12],
    ['on the 13th birthday', '2013-11-29', '2026-11-29T00:00:00Z', 13],
    ['the day after the birthday', '2013-11-28', '2026-11-29T00:00:00Z', 13],
    ['the day before the 18th birthday', '2008-11-30', '2026-11-29T12:00:00Z', 17],
    ['on the 18th birthday', '2008-11-29', '2026-11-29T12:00:00Z', 18],
    ['a 29 February birthday on 28 February of a common year', '2008-02-29', '2026-02-28T12:00:00Z', 17],
    ['a 29 February birthday on 1 March of a common year', '2008-02-29', '2026-03-01T12:00:00Z', 18],
    ['a 29 February birthday on 29 February of a leap year', '2012-02-29', '2028-02-29T12:00:00Z', 16],
    ['a birth today', '2026-11-29', '2026-11-29T12:00:00Z', 0],
    ['an earlier month', '1990-12-31', '2026-01-01T00:00:00Z', 35],
  ])('counts %s', (_name, birthDate, now, expected) => {
    expect(computeAge(birthDate, new Date(now))).toBe(expected);
  });

  it.each([
    ['a future birth date', '2027-01-01'],
    ['30 February', '2000-02-30'],
    ['29 February of a common year', '2001-02-29'],
    ['month 13', '2000-13-01'],
    ['day 0', '2000-01-00'],
    ['slashes', '2000/01/01'],
    ['a short string', '2000-1-1'],
    ['letters', '20x0-01-01'],
    ['an empty string', ''],
  ])('returns undefined for %s', (_name, birthDate) => {
    expect(computeAge(birthDate, new Date('2026-11-29T12:00:00Z'))).toBeUndefined();
  });
});

describe('age bands', () => {
  it('puts every age in exactly the right default band, edges included', () => {
    const parsed = parseAgeBands(['0-5', '6-11', '12-17', '18-64', '65+']);
    if ('error' in parsed) throw new Error(parsed.error);
    const table: Array<[number, string]> = [[0, '0-5'], [5, '0-5'], [6, '6-11'], [11, '6-11'], [12, '12-17'], [17, '12-17'], [18, '18-64'], [64, '18-64'], [65, '65+'], [120, '65+']];
    for (const [age, band] of table) expect(findAgeBand(parsed.bands, age)).toBe(band);
  });

  it.each([
    ['a gap', ['0-5', '7-11', '12+'], /should start at 6/],
    ['an overlap', ['0-5', '5-11', '12+'], /should start at 6/],
    ['not starting at 0', ['1-5', '6+'], /should start at 0/],
    ['no open last band', ['0-17', '18-64'], /must be open-ended/],
    ['an open band in the middle', ['0-17', '18+', '65+'], /not the last band/],
    ['a reversed band', ['0-5', '6-3', '4+'], /ends before it starts/],
    ['garbage', ['0-5', 'adults'], /not written as/],
  ])('refuses bands with %s', (_name, labels, message) => {
    const parsed = parseAgeBands(labels);
    expect('error' in parsed && parsed.error).toMatch(message);
  });
});
