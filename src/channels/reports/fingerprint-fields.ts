/**
 * A 53-bit fingerprint of a row's fields (each without surrounding spaces, each followed by a
 * separator), for finding double entries and for recognizing a person's identifier again: two
 * 32-bit FNV-1a hashes with different seeds. A false match needs about 2^26 distinct texts to
 * become likely.
 */
export function fingerprintFields(fields: ReadonlyArray<string>): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  // Each field without leading and trailing spaces and control characters, read in place (no copy).
  const mix = (text: string): void => {
    let start = 0;
    let end = text.length;
    while (start < end && text.charCodeAt(start) <= 32) start++;
    while (end > start && text.charCodeAt(end - 1) <= 32) end--;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x5bd1e995);
  };
  for (const field of fields) mix(field);
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) & 0x1fffff);
}
