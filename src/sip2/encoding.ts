/**
 * Character encodings a SIP2 peer may use (reference section 1): ASCII, UTF-8, Latin-1 and code
 * page 850. Configured per peer; checksums are computed over the encoded bytes.
 */

export type Sip2Encoding = 'ascii' | 'utf-8' | 'latin1' | 'cp850';

export const SIP2_ENCODINGS: ReadonlyArray<Sip2Encoding> = ['ascii', 'utf-8', 'latin1', 'cp850'];

/** Code page 850, bytes 0x80..0xFF in order. */
const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0';

const CP850_BYTE_OF = new Map<string, number>([...CP850_HIGH].map((character, index) => [character, 0x80 + index]));

/** The byte written for a character an encoding cannot carry. */
const REPLACEMENT_BYTE = 0x3f; // '?'

/** The bytes of `text` in `encoding`; characters the encoding cannot carry become `?`. */
export function encodeText(text: string, encoding: Sip2Encoding): Uint8Array {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const bytes = new Uint8Array(text.length);
  let length = 0;
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    if (code < 0x80) bytes[length++] = code;
    else if (encoding === 'latin1' && code <= 0xff) bytes[length++] = code;
    else if (encoding === 'cp850') bytes[length++] = CP850_BYTE_OF.get(character) ?? REPLACEMENT_BYTE;
    else bytes[length++] = REPLACEMENT_BYTE;
  }
  return bytes.subarray(0, length);
}

/** The text of `bytes` in `encoding`; bytes an encoding does not define become U+FFFD. */
export function decodeBytes(bytes: Uint8Array, encoding: Sip2Encoding): string {
  if (encoding === 'utf-8') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let text = '';
  for (const byte of bytes) {
    if (byte < 0x80) text += String.fromCharCode(byte);
    else if (encoding === 'latin1') text += String.fromCharCode(byte);
    else if (encoding === 'cp850') text += CP850_HIGH[byte - 0x80] as string;
    else text += '\ufffd';
  }
  return text;
}
