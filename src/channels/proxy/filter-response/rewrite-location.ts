/**
 * Rewrites a Location header that points at the vendor (one of its contract's hosts, or a path
 * under its upstream) into the gateway's `/v/<vendor>/` space. Any other Location is returned
 * unchanged: the browser may follow it, the gateway never does.
 */
export function rewriteLocation(location: string, options: { vendorId: string; upstreamUrl: string; hosts: ReadonlyArray<string> }): string {
  const upstream = new URL(options.upstreamUrl);
  let target: URL;
  try {
    target = new URL(location, upstream);
  } catch {
    return location;
  }
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!options.hosts.includes(host) || (target.protocol !== 'http:' && target.protocol !== 'https:')) return location;
  const base = upstream.pathname.replace(/\/$/, '');
  if (base !== '' && target.pathname !== base && !target.pathname.startsWith(`${base}/`)) return location;
  const rest = target.pathname.slice(base.length) || '/';
  return `/v/${options.vendorId}${rest.startsWith('/') ? rest : `/${rest}`}${target.search}${target.hash}`;
}
