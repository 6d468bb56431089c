/**
 * Encodes strings as (4-byte big-endian byte length, UTF-8 bytes) pairs, so that no two different
 * lists share an encoding: ("ab", "c") and ("a", "bc") differ. Every input to a key derivation or
 * a pseudonym goes through here.
 */
export function encodeLengthPrefixed(parts: ReadonlyArray<string>): Buffer {
  let total = 0;
  for (const part of parts) total += 4 + Buffer.byteLength(part, 'utf8');
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const part of parts) {
    const length = out.write(part, offset + 4, 'utf8');
    out.writeUInt32BE(length, offset);
    offset += 4 + length;
  }
  return out;
}
