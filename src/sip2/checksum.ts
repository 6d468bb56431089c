/**
 * The SIP2 error-detection checksum (AZ): the two's complement of the 16-bit sum of every byte
 * from the first character up to and including the letters `AZ`, written as 4 uppercase hex
 * digits (reference section 2). Computed over the encoded bytes, never over the text.
 */

const HEX_DIGITS = /^[0-9A-Fa-f]{4}$/;

/** The byte sum of `bytes[0, end)`, as an unbounded integer (callers mask). */
function sumBytes(bytes: Uint8Array, end: number): number {
  let sum = 0;
  for (let index = 0; index < end; index++) sum += bytes[index] as number;
  return sum;
}

/** The checksum of bytes that end with `AZ`, as 4 uppercase hex digits (always masked to 16 bits). */
export function computeChecksum(bytesThroughAz: Uint8Array): string {
  const value = -sumBytes(bytesThroughAz, bytesThroughAz.length) & 0xffff;
  return value.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Whether `hex` (4 hex digits, either case) is the right checksum for bytes that end with `AZ`:
 * the byte sum plus the checksum's value is 0 in the low 16 bits.
 */
export function verifyChecksum(bytesThroughAz: Uint8Array, hex: string): boolean {
  if (!HEX_DIGITS.test(hex)) return false;
  return ((sumBytes(bytesThroughAz, bytesThroughAz.length) + Number.parseInt(hex, 16)) & 0xffff) === 0;
}
