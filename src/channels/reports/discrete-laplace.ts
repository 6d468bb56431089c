import { randomBytes } from 'node:crypto';

/** A uniform number in (0, 1] from the operating system's cryptographic generator. */
export function cryptoUniform(): number {
  const bytes = randomBytes(7);
  // 53 random bits.
  const high = (bytes.readUInt32BE(0) >>> 0) & 0x1fffff;
  const low = bytes.readUInt32BE(3) >>> 0;
  return (high * 2 ** 32 + low + 1) / 2 ** 53;
}

/**
 * A draw from the discrete Laplace (two-sided geometric) distribution with scale 1/epsilon:
 * P(k) proportional to exp(-epsilon |k|), as the difference of two geometric draws.
 */
export function drawDiscreteLaplace(epsilon: number, uniform: () => number = cryptoUniform): number {
  const q = Math.exp(-epsilon);
  const geometric = (): number => Math.floor(Math.log(uniform()) / Math.log(q));
  return geometric() - geometric();
}
