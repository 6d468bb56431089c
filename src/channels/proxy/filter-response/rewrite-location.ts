import { buildLeavingPath } from '../../../web/leaving/leaving-path.ts';

/** Rewrites one vendor Location, given the path (under the vendor's base) that was requested. */
export type LocationRewriter = (location: string, requestPath: string) => string;

/**
 * Built once per contract. A Location that stays with the vendor (same scheme and port as its
 * upstream, one of its contract's hosts, no credentials, a path under the upstream's base) comes
 * back into the gateway's `/v/<vendor>/` space. Any other (another host or port, `//host`,
 * `/\host`, `javascript:` and other schemes, a path outside the base, something unparseable)
 * sends the patron to the gateway's leaving page, which shows where the vendor pointed and lets
 * the patron decide: the raw value is never passed on. Relative values resolve as the browser
 * would resolve them against the vendor's own URL (WHATWG URL parsing, the browser's own).
 */
export function createLocationRewriter(vendorId: string, upstream: { readonly url: string; readonly hosts: ReadonlyArray<string>; readonly basePath: string }): LocationRewriter {
  const base = new URL(upstream.url);
  const origin = base.origin;
  const basePath = upstream.basePath;
  // Hosts as the URL parser writes them: lower case, IPv6 addresses in brackets.
  const hosts = new Set(upstream.hosts.map((h) => (h.includes(':') ? `[${h.toLowerCase()}]` : h.toLowerCase())));
  return (location, requestPath) => {
    let target: URL;
    try {
      target = new URL(location, `${origin}${basePath}${requestPath}`);
    } catch {
      return buildLeavingPath(location);
    }
    const path = target.pathname;
    const stays =
      target.protocol === base.protocol &&
      target.port === base.port &&
      target.username === '' &&
      target.password === '' &&
      hosts.has(target.hostname) &&
      // With no base, every path (they all start with '/') is under it.
      (path === basePath || path.startsWith(`${basePath}/`));
    if (!stays) return buildLeavingPath(target.href);
    return `/v/${vendorId}${path.slice(basePath.length) || '/'}${target.search}${target.hash}`;
  };
}
