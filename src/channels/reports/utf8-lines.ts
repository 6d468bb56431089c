import { Transform, type TransformCallback } from 'node:stream';
import { ReportInputError } from './report-error.ts';

/**
 * Passes UTF-8 text through unchanged, failing with the line number at the first byte sequence
 * that is not UTF-8 (a Latin-1 or Windows-1252 export, say), so the officer can re-save the file.
 * A leading byte-order mark is removed. Emits strings.
 */
export function createUtf8Validator(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let line = 1;
  return new Transform({
    // The text goes out as strings, as decoded (not turned back into bytes).
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        // The line of the first bad byte: decode leniently and count newlines before the first replacement.
        const lenient = new TextDecoder('utf-8', { fatal: false }).decode(chunk);
        const bad = lenient.indexOf('\uFFFD');
        for (let i = 0; i < (bad === -1 ? 0 : bad); i++) if (lenient.charCodeAt(i) === 10) line += 1;
        callback(new ReportInputError(`line ${line}: the file is not UTF-8 text (it looks like Latin-1 or Windows-1252); save it as "CSV UTF-8" and try again`));
        return;
      }
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) line += 1;
      callback(null, text);
    },
    flush(callback: TransformCallback) {
      try {
        const rest = decoder.decode();
        callback(null, rest);
      } catch {
        callback(new ReportInputError(`line ${line}: the file ends in the middle of a character; save it as "CSV UTF-8" and try again`));
      }
    },
  });
}
