/** Directives that would let a shared cache keep the response, or that `private` replaces. */
const SHARED = new Set(['public', 'private', 's-maxage', 'proxy-revalidate']);
const DIRECTIVE = /\s*([^=,\s]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*(?:,|$)/gy;

/**
 * The vendor's Cache-Control for a response to a signed-in patron: always `private` (no shared
 * cache between the patron and the gateway may store it, or hand it to someone else), with the
 * vendor's own directives for the browser kept (`no-store`, `max-age`, `no-cache`...), and those
 * meant for shared caches (`public`, `s-maxage`, `proxy-revalidate`) removed.
 */
export function makePrivate(cacheControl: string | undefined): string {
  if (cacheControl === undefined) return 'private';
  const kept = ['private'];
  DIRECTIVE.lastIndex = 0;
  for (let match = DIRECTIVE.exec(cacheControl); match !== null; match = DIRECTIVE.exec(cacheControl)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!SHARED.has(name)) kept.push(match[2] === undefined ? name : `${name}=${match[2]}`);
  }
  return kept.join(', ');
}

/**
 * The vendor's Vary with Cookie added: the browser then reuses a cached answer only for the same
 * cookies, so what one patron's session cached (a page that carries an identifier in its body)
 * is fetched again, not replayed, once another patron signs in. `*` already varies on everything.
 */
export function varyOnCookie(vary: string | undefined): string {
  if (vary === undefined || vary.trim() === '') return 'Cookie';
  if (/(^|,)\s*(\*|cookie)\s*(,|$)/i.test(vary)) return vary;
  return `${vary}, Cookie`;
}
