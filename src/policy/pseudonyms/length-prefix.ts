/**
 * Encodes strings as (4-byte big-endian byte length, UTF-8 bytes) pairs, so that no two different
 * lists share an encoding: ("ab", "c") and ("a", "bc") differ. Every input to a key derivation or
 * a pseudonym goes through here.
 */
export function encodeLengthPrefixed(parts: ReadonlyArray<string>): Buffer {
  const encoded = parts.map((p) => Buffer.from(p, 'utf8'));
  const out = Buffer.allocUnsafe(encoded.reduce((n, b) => n + 4 + b.length, 0));
  let offset = 0;
  for (const bytes of encoded) {
    out.writeUInt32BE(bytes.length, offset);
    bytes.copy(out, offset + 4);
    offset += 4 + bytes.length;
  }
  return out;
}
