/** One directive line of an EZproxy config file: where it is, its name as written and canonical, and its arguments. */
export interface ConfigLine {
  readonly file: string;
  readonly line: number;
  /** The directive as written (T, hj, Title...). */
  readonly written: string;
  /** The canonical name (Title, HostJavaScript...), or undefined for a directive we do not know. */
  readonly directive: string | undefined;
  /** Everything after the directive name, trimmed (Title and Find keep their spaces). */
  readonly rest: string;
  /** The whole line, trimmed, for reports. */
  readonly text: string;
}

import { canonicalDirective } from './directive-names.ts';

/** Why a file cannot be read as an EZproxy config: binary bytes or invalid UTF-8. Undefined when it is text. */
export function whyNotText(bytes: Uint8Array): string | undefined {
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `it holds a NUL byte at offset ${nul}: it is a binary file, not an EZproxy config`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'it is not valid UTF-8 text: it looks binary, or is in another encoding (save it as UTF-8)';
  }
  let control = 0;
  for (const byte of bytes) if (byte < 9 || (byte > 13 && byte < 32)) control += 1;
  if (control > 0) return `it holds ${control} control byte(s): it is a binary file, not an EZproxy config`;
  return undefined;
}

/** Splits a config's text into directive lines: comments (#) and blank lines are skipped, names folded. */
export function tokenizeConfig(text: string, file: string): ConfigLine[] {
  const lines: ConfigLine[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    // Never null: the line is trimmed and not empty. `s`: a Unicode line separator (U+2028, pasted
    // from a word processor) is text inside the line, since EZproxy splits lines on CR and LF only.
    const [, written, rest] = /^(\S+)\s*(.*)$/s.exec(trimmed) as unknown as [string, string, string];
    lines.push({ file, line: index + 1, written, directive: canonicalDirective(written), rest, text: trimmed });
  });
  return lines;
}
