import type { SupportedCharset } from './body-plan.ts';

/**
 * Bytes to text and back in the body's own charset, so that every byte the rewriter does not change
 * comes out as it went in. UTF-8 through TextDecoder (streaming: a character split across chunks is
 * kept whole; a byte sequence that is not UTF-8 becomes U+FFFD) and TextEncoder; windows-1252 through
 * its 256-entry table both ways (every byte round-trips). A character windows-1252 cannot hold (only
 * ever one the rewriter itself wrote from a character reference) is written as an HTML numeric
 * character reference in HTML, as `?` elsewhere.
 */
export interface TextCodec {
  decode(bytes: Uint8Array, final: boolean): string;
  encode(text: string): Buffer;
}

export function createTextCodec(charset: SupportedCharset, html: boolean): TextCodec {
  const decoder = new TextDecoder(charset, { ignoreBOM: true });
  if (charset === 'utf-8') {
    return {
      decode: (bytes, final) => decoder.decode(bytes, { stream: !final }),
      encode: (text) => Buffer.from(text, 'utf8'),
    };
  }
  const table = windows1252Table();
  return {
    decode: (bytes, final) => decoder.decode(bytes, { stream: !final }),
    encode(text) {
      const bytes = Buffer.allocUnsafe(text.length);
      for (let i = 0; i < text.length; i++) {
        const byte = table.get(text.charCodeAt(i));
        if (byte === undefined) return encodeWithReferences(text, table, html);
        bytes[i] = byte;
      }
      return bytes;
    },
  };
}

function encodeWithReferences(text: string, table: ReadonlyMap<number, number>, html: boolean): Buffer {
  const parts: Buffer[] = [];
  for (const char of text) {
    const byte = table.get(char.charCodeAt(0));
    parts.push(byte !== undefined && char.length === 1 ? Buffer.of(byte) : Buffer.from(html ? `&#${char.codePointAt(0)};` : '?', 'latin1'));
  }
  return Buffer.concat(parts);
}

/** windows-1252 as the WHATWG Encoding standard defines it: code unit -> byte, all 256 bytes. */
function windows1252Table(): ReadonlyMap<number, number> {
  const decoder = new TextDecoder('windows-1252');
  const table = new Map<number, number>();
  for (let byte = 0; byte < 256; byte++) table.set(decoder.decode(Uint8Array.of(byte)).charCodeAt(0), byte);
  return table;
}

/**
 * The charset of an HTML body that declares none in Content-Type, from its first bytes as a browser
 * prescans them: a byte order mark, else the first <meta charset> or <meta http-equiv content="...;
 * charset=...">. 'utf-8' when nothing is declared; 'other' for a charset we cannot re-encode.
 */
export function sniffHtmlCharset(prefix: Uint8Array): SupportedCharset | 'other' {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return 'utf-8';
  if ((prefix[0] === 0xfe && prefix[1] === 0xff) || (prefix[0] === 0xff && prefix[1] === 0xfe)) return 'other';
  const head = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength).toString('latin1');
  const label = /<meta[^>]*?charset\s*=\s*["']?\s*([^\s"';>/]+)/i.exec(head)?.[1];
  if (label === undefined) return 'utf-8';
  try {
    const encoding = new TextDecoder(label).encoding;
    if (encoding === 'utf-16le' || encoding === 'utf-16be') return 'utf-8';
    return encoding === 'utf-8' || encoding === 'windows-1252' ? encoding : 'other';
  } catch {
    return 'utf-8';
  }
}

/** How many bytes the prescan looks at (the HTML standard's 1024). */
export const SNIFF_BYTES = 1024;
