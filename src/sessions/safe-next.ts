/** Characters a browser or URL parser would drop or reinterpret: C0 controls (tab, newline), DEL, backslash. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

/** How many layers of percent-encoding are looked through (each later reader may decode once). */
const DECODE_DEPTH = 3;

/**
 * Turns a `next` or `back` parameter (anything a request names as where to go afterwards) into a
 * path inside the gateway, or `/`. The target is resolved the way the browser will resolve it
 * (WHATWG URL against the public origin), and accepted only when it is the same origin and its
 * serialized path does not start with `//` or `/\` (which a browser reads as another host once
 * sent back as a Location): `/.//evil.example`, `/..//evil`, `/%2e//evil` all resolve to `//evil`.
 * Before that, the text must start with one `/` and hold no control character (tabs and newlines
 * are silently removed by URL parsers) or backslash; after it, the path must stay plain however
 * many times it is percent-decoded (up to three), so encoded tricks fail too.
 */
export function resolveSafeNext(next: unknown, publicOrigin: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return '/';
  if (!next.startsWith('/') || UNSAFE_CHARACTERS.test(next)) return '/';
  let resolved: URL;
  try {
    resolved = new URL(next, publicOrigin);
  } catch {
    return '/';
  }
  if (resolved.origin !== publicOrigin) return '/';
  let path = resolved.pathname;
  for (let depth = 0; depth <= DECODE_DEPTH; depth++) {
    if (!isPlainPath(path)) return '/';
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

/** One `/`, then not a second `/` or `\`, and nothing a parser would drop. */
function isPlainPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') && !UNSAFE_CHARACTERS.test(path);
}
