import { EMPTY, findSlot, PENDING_LIMIT, PENDING_SLOTS, SortedFingerprints } from './fingerprint-set.ts';

/**
 * A map from 53-bit fingerprints (non-negative integers below 2^53) to numbers in 16 bytes an
 * entry outside the JavaScript heap (sorted keys and their values in resizable buffers, grown in
 * place, plus a small hash table of recent entries; see FingerprintSet), against about 80 for a
 * Map with number keys (keys above 2^31 are boxed) and more with string keys. For what grows
 * with people: each person's number and dense index.
 */
export class FingerprintMap {
  private readonly sorted = new SortedFingerprints(1);
  private readonly pendingKeys = new Float64Array(PENDING_SLOTS).fill(EMPTY);
  private readonly pendingValues = new Float64Array(PENDING_SLOTS);
  private pendingCount = 0;

  get(key: number): number | undefined {
    const index = this.sorted.indexOf(key);
    if (index >= 0) return this.sorted.valueAt(index);
    const at = findSlot(this.pendingKeys, key);
    return this.pendingKeys[at] === key ? this.pendingValues[at] : undefined;
  }

  /** Sets the value of a key not in the map yet (entries are never replaced). */
  add(key: number, value: number): void {
    if (this.sorted.indexOf(key) >= 0) throw new RangeError('the key is already in the map');
    const at = findSlot(this.pendingKeys, key);
    if (this.pendingKeys[at] === key) throw new RangeError('the key is already in the map');
    this.pendingKeys[at] = key;
    this.pendingValues[at] = value;
    this.pendingCount += 1;
    if (this.pendingCount >= PENDING_LIMIT) {
      this.sorted.merge(this.pendingKeys, this.pendingValues);
      this.pendingCount = 0;
    }
  }

  get size(): number {
    return this.sorted.length + this.pendingCount;
  }
}
