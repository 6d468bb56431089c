import { BLOCKED_URL, type RewriteOptions, type UrlKind } from './rewrite-options.ts';

/**
 * Turns one URL as written in a page (absolute, protocol-relative or relative) into what the patron's
 * browser gets:
 * - http:, https: and protocol-relative URLs, and relative ones (resolved against the base), go
 *   through options.mapUrl; a refused one becomes BLOCKED_URL and its host is reported to onBlocked;
 * - javascript: and vbscript: URLs are removed (null): the attribute goes, so nothing runs from it,
 *   while listeners the page's own scripts attach keep working;
 * - other schemes (data:, blob:, mailto:, tel:, about:), fragment-only and empty URLs stay as they are
 *   (undefined), as do URLs the URL parser cannot read (the browser could not follow them either);
 * - URLs already on a proxied origin the rewriter knows (script hosts, {proxy:HOST} expansions) stay.
 */
export interface UrlMapper {
  /** The new value, null to remove the attribute, undefined to leave it as written. */
  map(raw: string, kind: UrlKind): string | null | undefined;
  /** Honours a <base href> (the first one only, as browsers do); returns what to write in its place. */
  setBase(raw: string): string | null | undefined;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const INVISIBLE = /[\t\n\r]/g;
const SCRIPT_SCHEMES = new Set(['javascript', 'vbscript']);

export function createUrlMapper(options: RewriteOptions, knownProxiedOrigins: ReadonlySet<string>): UrlMapper {
  let base: URL | undefined = parseHttpUrl(options.baseUrl, undefined);
  let baseSeen = false;
  function map(raw: string, kind: UrlKind): string | null | undefined {
    const value = raw.trim().replace(INVISIBLE, '');
    if (value === '' || value.startsWith('#')) return undefined;
    const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
    if (scheme !== undefined && SCRIPT_SCHEMES.has(scheme)) return null;
    if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return undefined;
    const url = parseHttpUrl(value, base);
    if (url === undefined || knownProxiedOrigins.has(url.origin)) return undefined;
    const mapped = options.mapUrl(url.href, kind);
    if (mapped !== undefined) return mapped;
    options.onBlocked?.(url.host);
    return BLOCKED_URL;
  }
  return {
    map,
    setBase(raw) {
      if (baseSeen) return map(raw, 'load');
      baseSeen = true;
      const rewritten = map(raw, 'load');
      base = parseHttpUrl(raw.trim().replace(INVISIBLE, ''), base) ?? base;
      return rewritten;
    },
  };
}

function parseHttpUrl(value: string, base: URL | undefined): URL | undefined {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
