import { describe, expect, it } from 'vitest';
import { findAgeBand, parseAgeBands } from '../../../src/policy/age-bands.ts';

describe('parseAgeBands', () => {
  it('parses closed and open bands into inclusive bounds', () => {
    expect(parseAgeBands(['0-12', '13-13', '14+'])).toEqual({
      bands: [
        { min: 0, max: 12, label: '0-12' },
        // A band of one year is a band: it ends where it starts.
        { min: 13, max: 13, label: '13-13' },
        { min: 14, max: Number.POSITIVE_INFINITY, label: '14+' },
      ],
    });
  });

  it.each([
    ['a closed band with text before it is refused (labels are exactly N-M)', ['x0-12', '13+'], 'band "x0-12" is not written as "N-M" or "N+"'],
    ['a closed band with text after it is refused', ['0-12x', '13+'], 'band "0-12x" is not written as "N-M" or "N+"'],
    ['an open band with text before it is refused', ['0-12', 'x13+'], 'band "x13+" is not written as "N-M" or "N+"'],
    ['an open band with text after it is refused', ['0-12', '13+x'], 'band "13+x" is not written as "N-M" or "N+"'],
    ['a band ending before it starts is refused', ['0-12', '13-12', '13+'], 'band "13-12" ends before it starts'],
    ['a closed last band is refused, with the open band to write instead', ['0-12', '13-64'], 'the last band "13-64" must be open-ended, such as "65+"'],
    ['an open band before the end is refused', ['0+', '1-5'], 'band "0+" is open-ended but is not the last band'],
    ['a gap is refused, naming where the band should start', ['0-12', '14+'], 'band "14+" should start at 13'],
    ['bands must start at 0', ['1-12', '13+'], 'band "1-12" should start at 0'],
  ])('%s', (_name, labels, error) => {
    expect(parseAgeBands(labels)).toEqual({ error });
  });
});

describe('findAgeBand', () => {
  const bands = [
    { min: 13, max: 17, label: '13-17' },
    { min: 18, max: Number.POSITIVE_INFINITY, label: '18+' },
  ];
  it.each([
    ['an age inside a band gets its label', 15, '13-17'],
    ['the lower bound is inside', 13, '13-17'],
    ['the upper bound is inside', 17, '13-17'],
    ['the open band takes every age above', 120, '18+'],
    ['an age below every band gets none (bands from parseAgeBands start at 0, so this never happens there)', 5, undefined],
  ])('%s', (_name, age, expected) => {
    expect(findAgeBand(bands, age)).toBe(expected);
  });
});
