import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FingerprintMap } from '../../../../src/channels/reports/fingerprint-map.ts';

describe('FingerprintMap', () => {
  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 2 ** 50 })), { maxLength: 3000 })], { seed: 11 })(
    'answers like a Map, before and after its recent entries are merged into the sorted part',
    (entries) => {
      const map = new FingerprintMap();
      const reference = new Map<number, number>();
      for (const [key, value] of entries) {
        if (reference.has(key)) continue;
        map.add(key, value);
        reference.set(key, value);
        expect(map.get(key)).toBe(value);
      }
      expect(map.size).toBe(reference.size);
      for (const [key, value] of reference) expect(map.get(key)).toBe(value);
      expect(map.get(Number.MAX_SAFE_INTEGER - 1)).toBe(reference.get(Number.MAX_SAFE_INTEGER - 1));
    },
  );

  it('keeps every value across many merges (100,000 people: the small table is merged about four times)', () => {
    const map = new FingerprintMap();
    // Keys that differ only in their high bits, as (person, cell) pairs do.
    for (let i = 0; i < 100_000; i++) map.add(i * 2 ** 24 + 7, i);
    expect(map.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(map.get(i * 2 ** 24 + 7)).toBe(i);
    expect(map.get(100_000 * 2 ** 24 + 7)).toBeUndefined();
  });

  it('refuses to replace an entry (a person keeps the number they were first given)', () => {
    const map = new FingerprintMap();
    map.add(5, 1);
    expect(() => map.add(5, 2)).toThrow(RangeError);
    expect(map.get(5)).toBe(1);
  });
});
