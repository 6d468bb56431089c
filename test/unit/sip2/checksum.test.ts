import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { computeChecksum, verifyChecksum } from '../../../src/sip2/checksum.ts';
import { encodeText } from '../../../src/sip2/encoding.ts';
import { CHECKSUM_VECTORS, NEGATIVE_CHECKSUM_VECTORS } from '../../helpers/sip2-transcripts.ts';

const bytesOf = (text: string): Uint8Array => Buffer.from(text, 'latin1');

describe('the SIP2 checksum (reference section 2)', () => {
  it.each(CHECKSUM_VECTORS)('section 8.1: %s (%s, %s) computes and verifies', (text, checksum, encoding) => {
    const bytes = encodeText(text, encoding);
    expect(computeChecksum(bytes)).toBe(checksum);
    expect(verifyChecksum(bytes, checksum)).toBe(true);
    expect(verifyChecksum(bytes, checksum.toLowerCase())).toBe(true);
  });

  it.each(NEGATIVE_CHECKSUM_VECTORS)('section 8.2: the printed checksum of %s fails and the corrected one (%s) verifies', (message, correct) => {
    const throughAz = message.slice(0, -4);
    const printed = message.slice(-4);
    expect(verifyChecksum(bytesOf(throughAz), printed)).toBe(false);
    expect(computeChecksum(bytesOf(throughAz))).toBe(correct);
    expect(verifyChecksum(bytesOf(throughAz), correct)).toBe(true);
  });

  it.each([
    ['a sum that is 0 in its low 16 bits prints 0000, not 10000 (the Palace bug)', new Uint8Array(258).fill(255).map((_, i) => (i === 257 ? 1 : 255)) /* 257 × 255 + 1 = 0x10000 */, '0000'],
    ['a sum above 0xFFFF (70000) is masked to 4 digits: EE90, not 1EE90', new Uint8Array(280).fill(250) /* 70000 */, 'EE90'],
    ['an empty input has checksum 0000', new Uint8Array(0), '0000'],
  ])('%s', (_name, bytes, expected) => {
    expect(computeChecksum(bytes)).toBe(expected);
    expect(verifyChecksum(bytes, expected)).toBe(true);
  });

  it.each([
    ['three hex digits', 'FCB'],
    ['five hex digits', '0FCB4'],
    ['a non-hex letter', 'FCBG'],
    ['a sign', '-34C'],
    ['blanks', '    '],
  ])('refuses a checksum with %s (no partial parse can make it verify)', (_name, hex) => {
    expect(verifyChecksum(bytesOf('990 402.00AY1AZ'), hex)).toBe(false);
  });

  test.prop([fc.uint8Array({ maxLength: 2000 })])('any byte string verifies with its own checksum and with no other', (bytes) => {
    const checksum = computeChecksum(bytes);
    expect(checksum).toMatch(/^[0-9A-F]{4}$/);
    expect(verifyChecksum(bytes, checksum)).toBe(true);
    const other = ((Number.parseInt(checksum, 16) + 1) & 0xffff).toString(16).padStart(4, '0');
    expect(verifyChecksum(bytes, other)).toBe(false);
  });
});
