import { describe, expect, it } from 'vitest';
import { createTextCodec, sniffHtmlCharset } from '../../../../../src/channels/browse/rewrite/text-codec.ts';

describe('bytes to text and back in the body charset', () => {
  it('windows-1252: every byte round-trips', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const codec = createTextCodec('windows-1252', true);
    const text = codec.decode(all, true);
    expect(text[0x80]).toBe('€');
    expect(Buffer.compare(codec.encode(text), Buffer.from(all))).toBe(0);
  });

  it('windows-1252: a character it cannot hold becomes a character reference in HTML, ? elsewhere', () => {
    expect(createTextCodec('windows-1252', true).encode('a✓é😀').toString('latin1')).toBe('a&#10003;\u00e9&#128512;');
    expect(createTextCodec('windows-1252', false).encode('a✓é').toString('latin1')).toBe('a?\u00e9');
  });

  it('UTF-8: a character split across chunks is kept whole', () => {
    const bytes = Buffer.from('é😀', 'utf8');
    const codec = createTextCodec('utf-8', true);
    const text = [...bytes].map((b, i) => codec.decode(Uint8Array.of(b), i === bytes.length - 1)).join('');
    expect(text).toBe('é😀');
    expect(codec.encode(text).equals(bytes)).toBe(true);
  });

  it('UTF-8: a byte order mark is kept', () => {
    const bytes = Buffer.from('\ufeff<p>', 'utf8');
    const codec = createTextCodec('utf-8', true);
    expect(codec.encode(codec.decode(bytes, true)).equals(bytes)).toBe(true);
  });

  it('a UTF-8 byte order mark wins over a <meta> naming windows-1252', () => {
    expect(sniffHtmlCharset(Uint8Array.of(0xef, 0xbb, 0xbf, ...Buffer.from('<meta charset=windows-1252>')))).toBe('utf-8');
    expect(sniffHtmlCharset(Uint8Array.of(0xef, 0xbb, 0x00, ...Buffer.from('<meta charset=windows-1252>')))).toBe('windows-1252');
    expect(sniffHtmlCharset(Uint8Array.of(0xef, 0x00, 0xbf, ...Buffer.from('<meta charset=windows-1252>')))).toBe('windows-1252');
    expect(sniffHtmlCharset(Uint8Array.of(0x00, 0xbb, 0xbf, ...Buffer.from('<meta charset=windows-1252>')))).toBe('windows-1252');
  });

  it('half a UTF-16 byte order mark is not one', () => {
    expect(sniffHtmlCharset(Uint8Array.of(0xfe, 0x00, ...Buffer.from('<meta charset=windows-1252>')))).toBe('windows-1252');
    expect(sniffHtmlCharset(Uint8Array.of(0x00, 0xff, ...Buffer.from('<meta charset=windows-1252>')))).toBe('windows-1252');
    expect(sniffHtmlCharset(Uint8Array.of(0xff, 0x00, ...Buffer.from('<meta charset=windows-1252>')))).toBe('windows-1252');
    expect(sniffHtmlCharset(Uint8Array.of(0x00, 0xfe, ...Buffer.from('<meta charset=windows-1252>')))).toBe('windows-1252');
  });

  it('a prefix that is a view into a larger buffer is read from its own offset', () => {
    const whole = Buffer.from('xxxx<meta charset=windows-1252>');
    expect(sniffHtmlCharset(whole.subarray(4))).toBe('windows-1252');
    expect(sniffHtmlCharset(Buffer.from('<meta charset=windows-1252>xxxx').subarray(0, 10))).toBe('utf-8');
  });

  it.each([
    ['nothing declared is UTF-8', '<html><p>x', 'utf-8'],
    ['a UTF-8 byte order mark', '\u00ef\u00bb\u00bf<meta charset=windows-1252>', 'utf-8'],
    ['a UTF-16 byte order mark (big-endian)', '\u00fe\u00ff\u0000<', 'other'],
    ['a UTF-16 byte order mark (little-endian)', '\u00ff\u00fe<\u0000', 'other'],
    ['<meta charset>', '<head><meta charset="ISO-8859-1">', 'windows-1252'],
    ['<meta charset> unquoted', "<meta charset=utf-8>", 'utf-8'],
    ['<meta http-equiv content>', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', 'windows-1252'],
    ['a charset we cannot re-encode', '<meta charset="shift_jis">', 'other'],
    ['a UTF-16 meta is read as UTF-8 (as browsers do)', '<meta charset="utf-16">', 'utf-8'],
    ['an unknown label is ignored', '<meta charset="klingon">', 'utf-8'],
    ['spaces around = and inside quotes', "<meta charset = ' iso-8859-1 '>", 'windows-1252'],
    ['a UTF-16LE label is read as UTF-8 too', '<meta charset="utf-16le">', 'utf-8'],
  ])('sniffing: %s', (_name, prefix, expected) => {
    expect(sniffHtmlCharset(Buffer.from(prefix, 'latin1'))).toBe(expected);
  });
});
