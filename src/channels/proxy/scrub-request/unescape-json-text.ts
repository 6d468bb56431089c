const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const SIMPLE: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * A JSON text with every string escape undone in place (`\u0034` -> 4, surrogate pairs joined,
 * `\t` -> a tab, `\/` -> /), left to right as a JSON parser reads them, so `\\u0034` stays a
 * backslash and `u0034`. Structure is kept: the result is for scanning, not parsing.
 */
export function unescapeJsonText(text: string): string {
  return text.replace(ESCAPE, (_whole, hex: string | undefined, simple: string) => (hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (SIMPLE[simple] ?? simple)));
}
