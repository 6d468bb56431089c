/**
 * Turns a `next` parameter into a path inside the gateway, or `/`. Only a plain absolute path is
 * accepted: no scheme, no host, no `//` or `/\` (which browsers treat as another host), no control
 * characters, and the same after percent-decoding (so encoded tricks fail too).
 */
export function resolveSafeNext(next: unknown, publicOrigin: string): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return '/';
  let decoded = next;
  for (let i = 0; i < 3; i++) {
    if (!isPlainPath(decoded)) return '/';
    try {
      const once = decodeURIComponent(decoded);
      if (once === decoded) break;
      decoded = once;
    } catch {
      return '/';
    }
  }
  if (!isPlainPath(decoded)) return '/';
  const resolved = new URL(next, publicOrigin);
  if (resolved.origin !== publicOrigin) return '/';
  return `${resolved.pathname}${resolved.search}`;
}

function isPlainPath(value: string): boolean {
  if (!value.startsWith('/')) return false;
  if (value.startsWith('//') || value.startsWith('/\\')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return false;
  return true;
}
