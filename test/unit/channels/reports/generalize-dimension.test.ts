import { describe, expect, it } from 'vitest';
import { generalizeDimension, normalizeDate, parsePeriod } from '../../../../src/channels/reports/generalize-dimension.ts';
import { drawDiscreteLaplace } from '../../../../src/channels/reports/discrete-laplace.ts';

const AT = new Date('2026-07-15T12:00:00Z');

describe('report dimensions', () => {
  it.each([
    [{ name: 'a', from: 'birthDate', generalize: 'ageBand' }, '2015-07-16', '6-11'],
    [{ name: 'a', from: 'birthDate', generalize: 'ageBand' }, '2014-07-15', '12-17'],
    [{ name: 'a', from: 'birthDate', generalize: 'ageBand' }, '7/15/2014', '12-17'],
    [{ name: 'a', from: 'birthDate', generalize: 'isMinor' }, '2008-07-16', 'under 18'],
    [{ name: 'a', from: 'birthDate', generalize: 'isMinor' }, '2008-07-15', '18 and over'],
    [{ name: 'z', from: 'postalCode', generalize: 'postalCode3' }, '06880-1234', '068'],
    [{ name: 'z', from: 'postalCode', generalize: 'postalCode3' }, '05901', '000'],
    [{ name: 'q', from: 'date', generalize: 'quarter' }, '2026-07-01', '2026-Q3'],
    [{ name: 'q', from: 'date', generalize: 'quarter' }, '2026-12-31', '2026-Q4'],
    [{ name: 'm', from: 'date', generalize: 'month' }, '2026-02-28', '2026-02'],
    [{ name: 'y', from: 'date', generalize: 'year' }, '1/2/2026', '2026'],
    [{ name: 'b', from: 'branch', generalize: 'none' }, '  Main Library ', 'Main Library'],
  ] as const)('%o turns %s into %s', (dimension, raw, expected) => {
    expect(generalizeDimension(dimension, raw, AT)).toEqual({ value: expected });
  });

  it.each([
    [{ name: 'a', from: 'birthDate', generalize: 'ageBand' }, '2026-02-30', 'unparseable birth date'],
    [{ name: 'a', from: 'birthDate', generalize: 'ageBand' }, '2027-01-01', 'birth date after the attendance'],
    [{ name: 'z', from: 'postalCode', generalize: 'postalCode3' }, 'SW1A 1AA', 'not a US ZIP code'],
    [{ name: 'q', from: 'date', generalize: 'quarter' }, 'next Tuesday', 'unparseable date'],
    [{ name: 'b', from: 'branch', generalize: 'none' }, '   ', 'missing value'],
    [{ name: 'b', from: 'branch', generalize: 'none' }, 'x'.repeat(81), 'value too long'],
  ] as const)('%o refuses %j: %s', (dimension, raw, problem) => {
    expect(generalizeDimension(dimension, raw, AT)).toEqual({ problem });
  });

  it.each([
    ['2026-02-29', undefined],
    ['2024-02-29', '2024-02-29'],
    ['13/1/2026', undefined],
    ['2026-1-5', undefined],
  ])('normalizeDate(%j) is %j', (raw, expected) => {
    expect(normalizeDate(raw)).toBe(expected);
  });

  it.each([
    ['2026', { start: '2026-01-01', end: '2026-12-31' }],
    ['2026-Q1', { start: '2026-01-01', end: '2026-03-31' }],
    ['2024-02', { start: '2024-02-01', end: '2024-02-29' }],
    ['2026-Q5', undefined],
    ['Q3', undefined],
  ])('parsePeriod(%j)', (period, expected) => {
    expect(parsePeriod(period)).toEqual(expected);
  });
});

describe('discrete Laplace noise', () => {
  it('is the difference of two geometric draws from the uniform source', () => {
    const draws = [0.9, 0.2];
    const q = Math.exp(-1);
    const expected = Math.floor(Math.log(0.9) / Math.log(q)) - Math.floor(Math.log(0.2) / Math.log(q));
    expect(drawDiscreteLaplace(1, () => draws.shift() ?? 1)).toBe(expected);
  });

  it('has mean near 0 and the discrete Laplace variance 2q/(1-q)^2 (cryptographic source)', () => {
    const epsilon = 0.5;
    const n = 40_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = drawDiscreteLaplace(epsilon);
      sum += x;
      squares += x * x;
    }
    const q = Math.exp(-epsilon);
    const variance = (2 * q) / (1 - q) ** 2;
    expect(Math.abs(sum / n)).toBeLessThan(0.15);
    expect(squares / n).toBeGreaterThan(variance * 0.9);
    expect(squares / n).toBeLessThan(variance * 1.1);
  });
});
