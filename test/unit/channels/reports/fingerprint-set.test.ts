import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../../../src/channels/reports/fingerprint-set.ts';

describe('FingerprintSet', () => {
  test.prop([fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { maxLength: 3000 })], { seed: 7 })('behaves like a Set', (values) => {
    const set = new FingerprintSet();
    const reference = new Set<number>();
    for (const value of values) {
      expect(set.add(value)).toBe(!reference.has(value));
      reference.add(value);
    }
    expect(set.size).toBe(reference.size);
    expect([...set.toSortedArray()]).toEqual([...reference].sort((a, b) => a - b));
  });

  it('tells new from seen across many merges of its recent entries into the sorted part (200,000 values, some twice)', () => {
    const set = new FingerprintSet();
    let added = 0;
    for (let i = 0; i < 200_000; i++) if (set.add((i % 150_000) * 2 ** 24 + (i % 80))) added += 1;
    // i and i + 150,000 give the same value only when i % 80 is also equal: 150,000 is a multiple of 80.
    expect(added).toBe(150_000);
    expect(set.size).toBe(150_000);
    const sorted = set.toSortedArray();
    expect(sorted.length).toBe(150_000);
    for (let i = 1; i < sorted.length; i++) expect((sorted[i] as number) > (sorted[i - 1] as number)).toBe(true);
    expect(set.add(3 * 2 ** 24 + 3)).toBe(false);
  });
});
