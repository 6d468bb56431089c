import { randomBytes } from 'node:crypto';

/**
 * A uniform number in (0, 1] from 8 bytes: the first 53 bits (the top 21 bits of the first four
 * bytes' low 21, then all 32 of the last four), so every one of the 2^53 outcomes is equally likely.
 */
export function uniformFromBytes(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const high = view.getUint32(0) & 0x1fffff;
  const low = view.getUint32(4);
  return (high * 2 ** 32 + low + 1) / 2 ** 53;
}

/** A uniform number in (0, 1] with 53 random bits from the operating system's cryptographic generator. */
export function cryptoUniform(): number {
  return uniformFromBytes(randomBytes(8));
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
