/**
 * The fixed set of kinds a blocked host is counted under in gateway_blocked_hosts_total: the host
 * itself is never a label (it would grow without bound and say where patrons go).
 */
export const HOST_KINDS = ['analytics', 'advertising', 'social', 'cdn', 'other'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

/**
 * A small shipped classification: registrable domains (and a host's suffix under them) by kind.
 * Anything not listed is `other`; a contract's own browse.block.hosts count as `analytics` (that is
 * what the key is for). The longest listed domain decides: stats.g.doubleclick.net (Google
 * Analytics' beacon) is analytics under doubleclick.net's advertising.
 */
const KNOWN_HOSTS: ReadonlyArray<readonly [string, HostKind]> = [
  ...(['google-analytics.com', 'googletagmanager.com', 'analytics.google.com', 'hotjar.com', 'segment.io', 'segment.com', 'mixpanel.com', 'omtrdc.net', '2o7.net', 'newrelic.com', 'nr-data.net', 'matomo.cloud', 'plausible.io', 'quantserve.com', 'scorecardresearch.com', 'chartbeat.com', 'clarity.ms', 'fullstory.com', 'heap.io', 'amplitude.com', 'sentry.io', 'stats.g.doubleclick.net', 'tracker.example'] as const).map((domain) => [domain, 'analytics'] as const),
  ...(['doubleclick.net', 'googlesyndication.com', 'googleadservices.com', 'adnxs.com', 'criteo.com', 'criteo.net', 'taboola.com', 'outbrain.com', 'amazon-adsystem.com', 'adsrvr.org', 'rubiconproject.com', 'pubmatic.com', 'ads.example'] as const).map((domain) => [domain, 'advertising'] as const),
  ...(['facebook.net', 'facebook.com', 'twitter.com', 'x.com', 'linkedin.com', 'licdn.com', 'addthis.com', 'sharethis.com', 'pinterest.com', 'tiktok.com', 'social.example'] as const).map((domain) => [domain, 'social'] as const),
  ...(['cloudflare.com', 'cdnjs.cloudflare.com', 'jsdelivr.net', 'unpkg.com', 'googleapis.com', 'gstatic.com', 'akamaihd.net', 'cloudfront.net', 'fastly.net', 'bootstrapcdn.com', 'jquery.com', 'cdn.example'] as const).map((domain) => [domain, 'cdn'] as const),
];

/** The kind of a host name (lower-case, no port). */
export function classifyHost(host: string): HostKind {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  let best: { length: number; kind: HostKind } | undefined;
  for (const [domain, kind] of KNOWN_HOSTS) {
    if ((name === domain || name.endsWith(`.${domain}`)) && (!best || domain.length > best.length)) best = { length: domain.length, kind };
  }
  return best?.kind ?? 'other';
}
