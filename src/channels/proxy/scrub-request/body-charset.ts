import { isUtf8 } from 'node:buffer';
import { parse } from 'content-type';
import { GatewayError } from '../../../errors/gateway-error.ts';

/** Charsets whose bytes the guard reads as they are (UTF-8, and ASCII, a subset of it). */
const READABLE_CHARSETS: ReadonlySet<string> = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/**
 * True when `data` is text the guard reads byte for byte: valid UTF-8 with no NUL bytes. UTF-16
 * and UTF-32 text (a NUL beside every ASCII character), EBCDIC and other encodings are not: the
 * patron's values would be in them in bytes the guard never compares.
 */
export function isPlainText(data: Buffer): boolean {
  return !data.includes(0) && isUtf8(data);
}

/**
 * Refuses (415) a body of a kind the guard reads (JSON, form, text) that declares another charset
 * (`text/plain; charset=utf-16`) or whose bytes are not plain text: a vendor decoding it as
 * declared would read what the guard could not.
 */
export function checkBodyCharset(contentType: string, body: Buffer): void {
  let charset: string | undefined;
  try {
    charset = parse(contentType).parameters['charset'];
  } catch {
    throw new GatewayError('unsupported_body');
  }
  if ((charset !== undefined && !READABLE_CHARSETS.has(charset.toLowerCase())) || !isPlainText(body)) throw new GatewayError('unsupported_body');
}
