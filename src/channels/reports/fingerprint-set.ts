/**
 * A set of 53-bit fingerprints (non-negative integers below 2^53) in 8 bytes an entry, outside
 * the JavaScript heap: a sorted array in a resizable ArrayBuffer (grown in place, so growing
 * leaves no old copy behind for the garbage collector) and a small hash table of fingerprints
 * added since the last merge. When the small table is 3/4 full its entries are sorted and merged
 * into the array from the back, in place. A Set of numbers costs about 40 bytes an entry, and a
 * doubling hash table 10 to 32 plus the copies it leaves while growing. Finding double entries
 * needs one fingerprint per row read, and counting distinct people one per (person, cell) pair.
 */
export class FingerprintSet {
  private readonly sorted = new SortedFingerprints(0);
  private readonly pending = new Float64Array(PENDING_SLOTS).fill(EMPTY);
  private pendingCount = 0;

  /** Adds a fingerprint; false when it was already there. */
  add(fingerprint: number): boolean {
    if (this.sorted.indexOf(fingerprint) >= 0) return false;
    const at = findSlot(this.pending, fingerprint);
    if (this.pending[at] === fingerprint) return false;
    this.pending[at] = fingerprint;
    this.pendingCount += 1;
    if (this.pendingCount >= PENDING_LIMIT) this.flush();
    return true;
  }

  get size(): number {
    return this.sorted.length + this.pendingCount;
  }

  /** Every fingerprint in the set, ascending (a view that the next `add` may change). */
  toSortedArray(): Float64Array {
    this.flush();
    return this.sorted.keys();
  }

  private flush(): void {
    if (this.pendingCount === 0) return;
    this.sorted.merge(this.pending, undefined);
    this.pendingCount = 0;
  }
}

/** An empty slot of a hash table (fingerprints are never negative). */
export const EMPTY = -1;

/** The small hash table of entries not yet merged: 2^15 slots (256 KB), merged at 3/4 full. */
export const PENDING_SLOTS = 1 << 15;
export const PENDING_LIMIT = (PENDING_SLOTS * 3) / 4;

/** Room reserved (address space, not memory) for the sorted entries: 2^29 of them. */
const MAX_BYTES = 2 ** 32;

/**
 * Sorted fingerprints (and, for a map, a value beside each) in resizable ArrayBuffers, grown in
 * place by `merge`.
 */
export class SortedFingerprints {
  private readonly keyBuffer = new ArrayBuffer(0, { maxByteLength: MAX_BYTES });
  private readonly valueBuffer: ArrayBuffer | undefined;
  private readonly sortedKeys = new Float64Array(this.keyBuffer);
  private readonly sortedValues: Float64Array | undefined;

  /** `valued`: 1 to keep a value beside each key, 0 for keys alone. */
  constructor(valued: 0 | 1) {
    if (valued) {
      this.valueBuffer = new ArrayBuffer(0, { maxByteLength: MAX_BYTES });
      this.sortedValues = new Float64Array(this.valueBuffer);
    }
  }

  get length(): number {
    return this.sortedKeys.length;
  }

  keys(): Float64Array {
    return this.sortedKeys;
  }

  valueAt(index: number): number {
    return this.sortedValues?.[index] ?? 0;
  }

  /** The index of `key`, or -1 (binary search). */
  indexOf(key: number): number {
    const keys = this.sortedKeys;
    let low = 0;
    let high = keys.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = keys[middle] as number;
      if (at < key) low = middle + 1;
      else if (at > key) high = middle - 1;
      else return middle;
    }
    return -1;
  }

  /**
   * Merges a hash table's entries (none of them here yet) and empties it: they are sorted, the
   * buffers grown in place, and both runs merged from the back. Keys alone are gathered at the
   * front of the table and sorted there (nothing allocated on the heap: a merge every 24,576 new
   * entries must not leave garbage that outlives the young generation); with values, an index
   * sort (a map grows with people, not rows, and merges rarely).
   */
  merge(table: Float64Array, values: Float64Array | undefined): void {
    let count = 0;
    let order: Uint32Array | undefined;
    if (values) {
      const slots: number[] = [];
      for (let i = 0; i < table.length; i++) if ((table[i] as number) !== EMPTY) slots.push(i);
      slots.sort((a, b) => (table[a] as number) - (table[b] as number));
      order = Uint32Array.from(slots);
      count = slots.length;
    } else {
      for (let i = 0; i < table.length; i++) if ((table[i] as number) !== EMPTY) table[count++] = table[i] as number;
      table.subarray(0, count).sort();
    }
    const old = this.sortedKeys.length;
    const total = old + count;
    this.keyBuffer.resize(total * 8);
    this.valueBuffer?.resize(total * 8);
    const keys = this.sortedKeys;
    const sortedValues = this.sortedValues;
    let i = old - 1;
    let j = count - 1;
    for (let w = total - 1; j >= 0; w--) {
      const slot = order ? (order[j] as number) : j;
      const incoming = table[slot] as number;
      if (i >= 0 && (keys[i] as number) > incoming) {
        keys[w] = keys[i] as number;
        if (sortedValues) sortedValues[w] = sortedValues[i] as number;
        i -= 1;
      } else {
        keys[w] = incoming;
        if (sortedValues) sortedValues[w] = values?.[slot] ?? 0;
        j -= 1;
      }
    }
    table.fill(EMPTY);
  }
}

/** The slot that holds `value`, or the empty slot where it belongs (linear probing; the table is never full). */
export function findSlot(slots: Float64Array, value: number): number {
  const mask = slots.length - 1;
  let i = slotOf(value) & mask;
  for (;;) {
    const current = slots[i] as number;
    if (current === EMPTY || current === value) return i;
    i = (i + 1) & mask;
  }
}

/**
 * A well-mixed 32-bit slot number for a value below 2^53: both halves mixed (murmur3's
 * finalizer). Values that differ only in their high bits (a (person, cell) pair is
 * person * 2^24 + cell) must not fall into one run of neighbouring slots, or linear probing
 * turns quadratic (it did: a million distinct rows took minutes).
 */
function slotOf(value: number): number {
  let h = Math.imul((value >>> 0) ^ Math.imul(Math.floor(value / 2 ** 32), 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
