import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeText, SIP2_ENCODINGS } from '../../../src/sip2/encoding.ts';

describe('SIP2 character encodings', () => {
  it.each([
    ['utf-8', 'josé', [0x6a, 0x6f, 0x73, 0xc3, 0xa9]],
    ['latin1', 'josé', [0x6a, 0x6f, 0x73, 0xe9]],
    ['cp850', 'josé', [0x6a, 0x6f, 0x73, 0x82]],
    ['cp850', 'ÇüÿÑ¤\u00a0', [0x80, 0x81, 0x98, 0xa5, 0xcf, 0xff]],
    ['ascii', 'josé', [0x6a, 0x6f, 0x73, 0x3f]],
    ['latin1', 'Ωx', [0x3f, 0x78]],
    ['cp850', 'Ωx', [0x3f, 0x78]],
  ] as const)('%s encodes %j as the peer expects (a character it cannot carry becomes ?)', (encoding, text, bytes) => {
    expect([...encodeText(text, encoding)]).toEqual(bytes);
  });

  it.each([
    ['ascii', [0x61, 0xe9], 'a\ufffd'],
    ['latin1', [0x61, 0xe9], 'aé'],
    ['cp850', [0x61, 0x82, 0x80, 0xff], 'aéÇ\u00a0'],
    ['utf-8', [0x61, 0xc3, 0xa9], 'aé'],
  ] as const)('%s decodes %j', (encoding, bytes, text) => {
    expect(decodeBytes(Uint8Array.from(bytes), encoding)).toBe(text);
  });

  it('decodes a view into a larger buffer from its own offset', () => {
    const buffer = Buffer.from('xxjoséyy');
    expect(decodeBytes(buffer.subarray(2, 7), 'utf-8')).toBe('josé');
  });

  test.prop([fc.constantFrom(...SIP2_ENCODINGS), fc.uint8Array({ maxLength: 64 })])('every byte of a single-byte code page survives decode then encode', (encoding, bytes) => {
    if (encoding === 'utf-8' || encoding === 'ascii') return;
    expect([...encodeText(decodeBytes(bytes, encoding), encoding)]).toEqual([...bytes]);
  });

  test.prop([fc.string({ unit: 'grapheme', maxLength: 30 })])('UTF-8 carries any text', (text) => {
    expect(decodeBytes(encodeText(text, 'utf-8'), 'utf-8')).toBe(text);
  });
});
