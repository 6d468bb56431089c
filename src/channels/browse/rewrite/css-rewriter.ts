import { createPatternReplacer } from './pattern-replacer.ts';
import type { TextStage } from './text-stage.ts';
import type { UrlMapper } from './url-mapper.ts';

/**
 * CSS: every `url(...)` (quoted or not) and every `@import "..."` is a load through the mapper.
 * URLs longer than MAX_CSS_URL characters (in practice only data: URLs, which stay as they are)
 * are left alone, which bounds what a stream holds back. A removed (javascript:) URL becomes
 * about:blank#blocked. `image-set("a.png" 1x)` with bare strings is not rewritten (the gateway's
 * CSP still refuses what it would load from an unlisted host).
 */
export const MAX_CSS_URL = 4096;

const WS = '[ \\t\\n\\r\\f]{0,64}';
/** One CSS escape: hex digits and an optional space, or any other character but a newline. */
const ESCAPE = '\\\\(?:[0-9a-fA-F]{1,6}[ \\t\\n\\r\\f]?|[^\\n0-9a-fA-F])';
const DQ = `"((?:[^"\\\\\\n]|${ESCAPE}){0,${MAX_CSS_URL}})"`;
const SQ = `'((?:[^'\\\\\\n]|${ESCAPE}){0,${MAX_CSS_URL}})'`;
const CSS_URL = new RegExp(
  `(url\\(${WS})(?:${DQ}|${SQ}|((?:[^)\\s"'\\\\]|${ESCAPE}){0,${MAX_CSS_URL}}))(${WS}\\))|(@import[ \\t\\n\\r\\f]{1,64})(?:${DQ}|${SQ})`,
  'gi',
);
/** Each URL character may be a CSS escape of up to 8 characters. */
const MAX_MATCH = 2 * 64 + 8 * MAX_CSS_URL + 'url()""'.length + 8;

export function createCssStage(mapper: UrlMapper): TextStage {
  return createPatternReplacer(CSS_URL, (m) => replaceCssUrl(m, mapper), MAX_MATCH, 0);
}

/** Rewrites a whole CSS text at once (a style attribute). */
export function rewriteCssText(css: string, mapper: UrlMapper): string {
  return css.replace(CSS_URL, (...args) => replaceCssUrl(args as unknown as RegExpExecArray, mapper));
}

function replaceCssUrl(m: RegExpExecArray, mapper: UrlMapper): string {
  if (m[1] !== undefined) {
    const quote = m[2] !== undefined ? '"' : m[3] !== undefined ? "'" : '';
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    const mapped = mapper.map(unescapeCss(raw), 'load');
    if (mapped === undefined) return m[0];
    return `${m[1]}${quote}${escapeCss(mapped ?? 'about:blank#blocked', quote)}${quote}${m[5]}`;
  }
  const quote = m[7] !== undefined ? '"' : "'";
  const mapped = mapper.map(unescapeCss(m[7] ?? m[8] ?? ''), 'load');
  if (mapped === undefined) return m[0];
  return `${m[6]}${quote}${escapeCss(mapped ?? 'about:blank#blocked', quote)}${quote}`;
}

/** The URL a CSS url() or string stands for: escapes (`\\61 `, `\\\\`, `\\)`) decoded as CSS does. */
function unescapeCss(text: string): string {
  return text.replace(/\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([^\n]))/g, (_, hex: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char!;
    const code = Number.parseInt(hex, 16);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) ? '\ufffd' : String.fromCodePoint(code);
  });
}

/** A mapped URL is ASCII from the URL parser; escape what would end the token it sits in. */
function escapeCss(url: string, quote: string): string {
  return quote === '' ? url.replace(/[\s"'()\\]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `) : url.replace(/[\\"'\n]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
}
