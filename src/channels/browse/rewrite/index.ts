import type { Transform } from 'node:stream';

/**
 * STAND-IN, to be replaced by h-rewrite's streaming rewriters (same names, same interface; see
 * shared-browse.md). Bodies stream untouched; only the response headers that would otherwise
 * send the browser to an upstream host directly are mapped (Location, Content-Location,
 * Access-Control-Allow-Origin), and Link and Refresh, which this stand-in cannot map, are dropped.
 */

/** Maps an absolute upstream URL to the URL the patron's browser should use, or undefined for a host the contract does not allow. */
export type MapUrl = (absolute: string, kind: 'navigate' | 'load') => string | undefined;

export interface RewriteOptions {
  readonly mapUrl: MapUrl;
  /** The upstream URL of the document. */
  readonly baseUrl: string;
  readonly scriptHosts: ReadonlyArray<{ host: string; proxied: string }>;
  readonly replace: ReadonlyArray<{ find: string; replace: string; types?: ReadonlyArray<string> }>;
  readonly onBlocked?: (host: string) => void;
}

/** A Transform for a body of this media type and Content-Encoding, or null when the body streams untouched (always, in this stand-in). */
export function createBodyRewriter(_mediaType: string, _contentEncoding: string | undefined, _options: RewriteOptions): Transform | null {
  return null;
}

/** Rewrites the headers that name upstream URLs, in place. */
export function rewriteResponseHeaders(headers: Record<string, string | string[] | undefined>, options: RewriteOptions & { cookieDomainFor: (upstreamDomain: string) => string | undefined }): void {
  for (const name of ['location', 'content-location']) {
    const value = headers[name];
    if (typeof value !== 'string') continue;
    let absolute: string;
    try {
      absolute = new URL(value, options.baseUrl).href;
    } catch {
      delete headers[name];
      continue;
    }
    const mapped = options.mapUrl(absolute, 'navigate');
    if (mapped === undefined) {
      options.onBlocked?.(new URL(absolute).host);
      delete headers[name];
    } else headers[name] = mapped;
  }
  const allowOrigin = headers['access-control-allow-origin'];
  if (typeof allowOrigin === 'string' && allowOrigin !== '*') {
    const mapped = options.mapUrl(`${allowOrigin}/`, 'load');
    if (mapped === undefined) delete headers['access-control-allow-origin'];
    else headers['access-control-allow-origin'] = new URL(mapped).origin;
  }
  delete headers['link'];
  delete headers['refresh'];
}
