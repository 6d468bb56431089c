/**
 * The sandbox every vendor response gets, whatever its type: scripts and forms run, but in an
 * opaque origin, so they cannot read the gateway's pages, cookies or other vendors' answers, nor
 * register a service worker.
 */
export const VENDOR_SANDBOX = 'sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads allow-modals';

/**
 * The Content-Security-Policy for one vendor's responses, built once per contract: the sandbox,
 * and every fetch directive limited to the vendor's own space on the gateway
 * (`<publicOrigin>/v/<vendor>/`), plus data: and blob: where they cannot reach a network. So an
 * image, script, style, font, beacon, fetch, frame, worker or manifest on a vendor page never goes
 * from the patron's browser to another server (which would learn the patron's address); forms post
 * and `<base>` points only there; only the gateway's own pages may frame it. Inline scripts do not
 * run: script-src is default-src, without 'unsafe-inline', since Chromium lets an inline
 * `<script type="speculationrules">` prefetch and prerender any URL whatever the fetch directives
 * say. Inline styles do apply.
 */
export function buildVendorCsp(publicOrigin: string, vendorId: string): string {
  const own = `${publicOrigin}/v/${vendorId}/`;
  // Directives left out fall back to default-src (script, connect, frame, child, worker, manifest):
  // written once, the header stays short on every response.
  return [
    VENDOR_SANDBOX,
    `default-src ${own}`,
    `style-src ${own} 'unsafe-inline'`,
    `img-src ${own} data: blob:`,
    `font-src ${own} data:`,
    `media-src ${own} data: blob:`,
    "object-src 'none'",
    `form-action ${own}`,
    `base-uri ${own}`,
    "frame-ancestors 'self'",
  ].join('; ');
}

/** Directives of a vendor's own policy that would make the browser send reports to another server. */
const REPORTING = /^\s*report-(?:uri|to)(?:\s|$)/i;

/**
 * A vendor's own Content-Security-Policy without its reporting directives (a violation report
 * goes from the patron's browser to wherever the vendor says). Its other directives stay: policies
 * combine by intersection, so a vendor's policy can only narrow the gateway's, never widen it.
 * Undefined when nothing is left.
 */
export function stripReporting(policy: string): string | undefined {
  const kept: string[] = [];
  for (const one of policy.split(',')) {
    const directives = one.split(';').filter((d) => d.trim() !== '' && !REPORTING.test(d));
    if (directives.length > 0) kept.push(directives.map((d) => d.trim()).join('; '));
  }
  return kept.length > 0 ? kept.join(', ') : undefined;
}
