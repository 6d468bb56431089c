import { parse } from 'content-type';
import { DEFAULT_REPLACE_TYPES, type RewriteOptions } from './rewrite-options.ts';

/**
 * What happens to a response body, decided from its Content-Type and Content-Encoding before a byte
 * is read. The browse channel asks this first (describeBodyRewrite) to tell the cases apart;
 * createBodyRewriter returns null for every kind but 'rewrite'.
 *
 * - 'rewrite': HTML (text/html, application/xhtml+xml) and CSS always; JavaScript and JSON (and any
 *   type a find/replace rule lists) only when the contract has script hosts or rules for that type.
 * - 'untouched': nothing to rewrite (images, fonts, media, downloads, scripts without rules): stream as is.
 * - 'unsupported-encoding': a Content-Encoding other than identity, gzip, x-gzip, deflate or br
 *   (zstd, stacked codings such as "gzip, br"): the body cannot be read, so it cannot be rewritten.
 *   The caller decides (refuse HTML and CSS, since their URLs would stay upstream; the egress CSP
 *   still stops the browser from reaching those hosts).
 * - 'unsupported-charset': a declared charset other than UTF-8 or windows-1252 (which WHATWG also
 *   names iso-8859-1, latin1 and us-ascii): rewriting would have to re-encode text we cannot encode,
 *   so we do not pretend; the caller decides as above.
 */
export type BodyPlan =
  | {
      readonly kind: 'rewrite';
      readonly mediaType: string;
      readonly syntax: BodySyntax;
      /** undefined: not declared (HTML is sniffed for a BOM or <meta charset>; other types are UTF-8). */
      readonly charset: SupportedCharset | undefined;
      readonly encoding: SupportedEncoding;
    }
  | { readonly kind: 'untouched' }
  | { readonly kind: 'unsupported-encoding' }
  | { readonly kind: 'unsupported-charset' };

export type BodySyntax = 'html' | 'css' | 'script' | 'text';
export type SupportedCharset = 'utf-8' | 'windows-1252';
export type SupportedEncoding = 'identity' | 'gzip' | 'deflate' | 'br';

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const SCRIPT_TYPES = new Set([
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'text/ecmascript',
  'application/ecmascript',
  'application/json',
]);
const ENCODINGS: ReadonlyMap<string, SupportedEncoding> = new Map([
  ['', 'identity'],
  ['identity', 'identity'],
  ['gzip', 'gzip'],
  ['x-gzip', 'gzip'],
  ['deflate', 'deflate'],
  ['br', 'br'],
]);

export function describeBodyRewrite(contentType: string | undefined, contentEncoding: string | undefined, options: Pick<RewriteOptions, 'scriptHosts' | 'replace'>): BodyPlan {
  const parsed = parseContentType(contentType);
  if (parsed === undefined) return { kind: 'untouched' };
  const syntax = syntaxOf(parsed.mediaType, options);
  if (syntax === undefined) return { kind: 'untouched' };
  const encoding = ENCODINGS.get((contentEncoding ?? '').trim().toLowerCase());
  if (encoding === undefined) return { kind: 'unsupported-encoding' };
  let charset: SupportedCharset | undefined;
  if (parsed.charset !== undefined) {
    charset = supportedCharset(parsed.charset);
    if (charset === undefined) return { kind: 'unsupported-charset' };
  }
  return { kind: 'rewrite', mediaType: parsed.mediaType, syntax, charset, encoding };
}

/** The WHATWG encoding a label names, if the rewriter can decode and re-encode it. */
export function supportedCharset(label: string): SupportedCharset | undefined {
  try {
    const encoding = new TextDecoder(label.trim()).encoding;
    return encoding === 'utf-8' || encoding === 'windows-1252' ? encoding : undefined;
  } catch {
    return undefined;
  }
}

function syntaxOf(mediaType: string, options: Pick<RewriteOptions, 'scriptHosts' | 'replace'>): BodySyntax | undefined {
  if (HTML_TYPES.has(mediaType)) return 'html';
  if (mediaType === 'text/css') return 'css';
  const hasRules = options.replace.some((rule) => (rule.types ?? DEFAULT_REPLACE_TYPES).includes(mediaType));
  if (SCRIPT_TYPES.has(mediaType) || (mediaType.startsWith('application/') && mediaType.endsWith('+json'))) {
    return options.scriptHosts.length > 0 || hasRules ? 'script' : undefined;
  }
  return hasRules ? 'text' : undefined;
}

function parseContentType(header: string | undefined): { mediaType: string; charset: string | undefined } | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  try {
    const { type, parameters } = parse(header);
    return { mediaType: type.toLowerCase(), charset: parameters['charset'] };
  } catch {
    return undefined;
  }
}
