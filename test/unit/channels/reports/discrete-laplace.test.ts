import { describe, expect, it } from 'vitest';
import { drawDiscreteLaplace, uniformFromBytes } from '../../../../src/channels/reports/discrete-laplace.ts';
import { seededUniform } from '../../../helpers/seeded-uniform.ts';

describe('the uniform draw uses 53 random bits', () => {
  // Bits 11..63 of the 8 bytes (big-endian, bit 0 the most significant) are the 53 used.
  const withBit = (bit: number): Uint8Array => {
    const bytes = new Uint8Array(8);
    bytes[bit >> 3] = 0x80 >> (bit & 7);
    return bytes;
  };

  it('every one of the 53 bits changes the value, and each by its own power of two (no byte read twice)', () => {
    const zero = uniformFromBytes(new Uint8Array(8));
    expect(zero).toBe(2 ** -53);
    for (let bit = 11; bit < 64; bit++) expect(uniformFromBytes(withBit(bit)) - zero, `bit ${bit}`).toBe(2 ** (63 - bit) / 2 ** 53);
  });

  it('the 11 leading bits are not used (53 is all a double holds), and all ones gives exactly 1', () => {
    for (let bit = 0; bit < 11; bit++) expect(uniformFromBytes(withBit(bit))).toBe(2 ** -53);
    expect(uniformFromBytes(new Uint8Array(8).fill(0xff))).toBe(1);
  });

  it('reads the bytes where they are (a view into a larger buffer)', () => {
    const big = new Uint8Array(16);
    big[8 + 7] = 1;
    expect(uniformFromBytes(big.subarray(8))).toBe(2 / 2 ** 53);
  });
});

describe('discrete Laplace: the empirical distribution (seeded, 200,000 draws)', () => {
  it.each([0.25, 1, 2])('epsilon %s: P(k) = (1-q)/(1+q) q^|k| within sampling error, symmetric, mean 0', (epsilon) => {
    const uniform = seededUniform(`dl-${epsilon}`);
    const n = 200_000;
    const counts = new Map<number, number>();
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const k = drawDiscreteLaplace(epsilon, uniform);
      counts.set(k, (counts.get(k) ?? 0) + 1);
      sum += k;
    }
    const q = Math.exp(-epsilon);
    for (let k = -4; k <= 4; k++) {
      const p = ((1 - q) / (1 + q)) * q ** Math.abs(k);
      const observed = (counts.get(k) ?? 0) / n;
      // Five standard errors of a binomial proportion.
      expect(Math.abs(observed - p), `k=${k}`).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
    const sd = Math.sqrt((2 * q) / (1 - q) ** 2);
    expect(Math.abs(sum / n)).toBeLessThan((5 * sd) / Math.sqrt(n));
  });
});
