import { createHash } from 'node:crypto';
import { uniformFromBytes } from '../../src/channels/reports/discrete-laplace.ts';

/** A reproducible uniform source in (0, 1] with 53 bits a draw: SHA-256 of a seed and a counter. */
export function seededUniform(seed: string): () => number {
  let counter = 0;
  return () => uniformFromBytes(createHash('sha256').update(`${seed}:${counter++}`).digest().subarray(0, 8));
}

/** A uniform source that returns the scripted values first, then 1 (a geometric draw of 0). */
export function scriptedUniform(values: ReadonlyArray<number>): () => number {
  const queue = [...values];
  return () => queue.shift() ?? 1;
}
