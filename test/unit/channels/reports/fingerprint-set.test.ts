import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { FingerprintSet } from '../../../../src/channels/reports/fingerprint-set.ts';

describe('FingerprintSet', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 3000 })])('behaves like a Set across growth', (values) => {
    const set = new FingerprintSet(4);
    const reference = new Set<number>();
    for (const value of values) {
      expect(set.add(value)).toBe(!reference.has(value));
      reference.add(value);
    }
    expect(set.size).toBe(reference.size);
    expect([...set.toSortedArray()]).toEqual([...reference].sort((a, b) => a - b));
  });
});
