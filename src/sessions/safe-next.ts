/** Characters a browser or URL parser would drop or reinterpret: C0 controls (tab, newline), DEL, backslash. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/** How many layers of percent-encoding are looked through (each later reader may decode once). */
const DECODE_DEPTH = 3;

/**
 * Turns a `next` or `back` parameter (anything a request names as where to go afterwards) into a
 * path inside the gateway, or `/`. The target is resolved the way the browser will resolve it
 * (WHATWG URL against the public origin), and accepted only when it is the same origin and its
 * serialized path does not start with `//` (which a browser reads as another host once sent back
 * as a Location): `/.//evil.example`, `/..//evil`, `/%2e//evil` all resolve to `//evil`. Before
 * that, the text must start with `/` and hold no control character (tabs and newlines are silently
 * removed by URL parsers) and no backslash (read as `/`); after it, the path must stay so through
 * up to three rounds of percent-decoding (`%2F%2F`, `%5C`, `%09` and their double encodings fail
 * too), and a path encoded deeper than that is not accepted at all.
 */
export function resolveSafeNext(next: unknown, publicOrigin: string): string {
  if (typeof next !== 'string' || next.length > 2048) return '/';
  if (!next.startsWith('/') || UNSAFE_CHARACTERS.test(next)) return '/';
  // A path-relative reference against a valid origin always parses (anything odd is percent-encoded).
  const resolved = new URL(next, publicOrigin);
  // Cannot differ for a text that starts with one `/` and holds no backslash; checked all the same.
  if (resolved.origin !== publicOrigin) return '/';
  let path = resolved.pathname;
  for (let depth = 0; depth <= DECODE_DEPTH; depth++) {
    // Every layer starts with `/` (a decoded pathname does); a backslash anywhere is refused.
    if (path.startsWith('//') || UNSAFE_CHARACTERS.test(path)) return '/';
    let once: string;
    try {
      once = decodeURIComponent(path);
    } catch {
      return '/';
    }
    if (once === path) return `${resolved.pathname}${resolved.search}`;
    path = once;
  }
  return '/';
}
