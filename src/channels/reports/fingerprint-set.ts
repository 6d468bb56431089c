/**
 * A set of 53-bit row fingerprints in a flat Float64Array with open addressing: 8 to 16 bytes a
 * row, outside the JavaScript heap, instead of the ~40 a Set of numbers costs. Finding double
 * entries needs one fingerprint per row read; this keeps that as small as it can be.
 */
export class FingerprintSet {
  private slots: Float64Array;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    this.slots = new Float64Array(initialCapacity).fill(-1);
  }

  /** Adds a fingerprint (a non-negative integer below 2^53); false when it was already there. */
  add(fingerprint: number): boolean {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const inserted = insert(this.slots, fingerprint);
    if (inserted) this.count += 1;
    return inserted;
  }

  get size(): number {
    return this.count;
  }

  /** Every fingerprint in the set, ascending (a new array). */
  toSortedArray(): Float64Array {
    const values = new Float64Array(this.count);
    let at = 0;
    for (const value of this.slots) if (value >= 0) values[at++] = value;
    return values.sort();
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2).fill(-1);
    for (const value of old) if (value >= 0) insert(this.slots, value);
  }
}

function insert(slots: Float64Array, value: number): boolean {
  const mask = slots.length - 1;
  let i = (value % 2 ** 31) & mask;
  for (;;) {
    const current = slots[i] as number;
    if (current === -1) {
      slots[i] = value;
      return true;
    }
    if (current === value) return false;
    i = (i + 1) & mask;
  }
}
