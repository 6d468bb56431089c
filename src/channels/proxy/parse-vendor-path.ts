/**
 * Splits a request target `/v/{vendor}/{rest}?{query}` into its parts, refusing what must never
 * be forwarded: absolute-form targets (`GET http://elsewhere/`), dot segments (`..`, `%2e%2e`,
 * double-encoded `%252e%252e`), backslashes and NUL bytes. Returns undefined for a target that is
 * not under /v/ at all.
 */
export type VendorPath =
  | { readonly ok: true; readonly vendor: string; readonly rest: string; readonly query: string }
  | { readonly ok: false; readonly reason: 'bad-target' | 'needs-slash'; readonly vendor?: string };

export function parseVendorPath(target: string): VendorPath | undefined {
  if (!target.startsWith('/v/')) return target.startsWith('/') ? undefined : { ok: false, reason: 'bad-target' };
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  const segments = path.split('/');
  // ['', 'v', vendor, ...rest]
  const vendor = segments[2] ?? '';
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(vendor)) return { ok: false, reason: 'bad-target' };
  for (const segment of segments.slice(3)) if (isDangerousSegment(segment)) return { ok: false, reason: 'bad-target', vendor };
  if (segments.length === 3) return { ok: false, reason: 'needs-slash', vendor };
  return { ok: true, vendor, rest: `/${segments.slice(3).join('/')}`, query };
}

function isDangerousSegment(segment: string): boolean {
  let current = segment;
  for (let i = 0; i < 3; i++) {
    if (current === '.' || current === '..' || current.includes('\\') || current.includes('\0')) return true;
    if (!current.includes('%')) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return true;
    }
    if (decoded.includes('/')) {
      // An encoded slash could smuggle a dot segment past us: check each piece.
      if (decoded.split('/').some((piece) => piece === '.' || piece === '..')) return true;
    }
    current = decoded;
  }
  return current === '.' || current === '..';
}
