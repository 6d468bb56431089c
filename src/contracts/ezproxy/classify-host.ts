/**
 * Hosts and domains that widen a patron's exposure when a contract proxies them: analytics and
 * advertising services, public suffixes and shared hosting platforms (a Domain there covers every
 * customer of the platform), and companies whose one domain covers many unrelated services.
 */
const TRACKERS = [
  'google-analytics.com', 'googletagmanager.com', 'doubleclick.net', 'googlesyndication.com', 'googleadservices.com',
  'facebook.com', 'facebook.net', 'fbcdn.net', 'hotjar.com', 'scorecardresearch.com', 'quantserve.com', 'newrelic.com',
  'nr-data.net', 'segment.io', 'segment.com', 'mixpanel.com', 'fullstory.com', 'clarity.ms', 'adobedtm.com',
  'omtrdc.net', 'demdex.net', '2o7.net', 'mouseflow.com', 'crazyegg.com', 'chartbeat.com', 'addthis.com', 'sharethis.com',
] as const;

const PUBLIC_SUFFIXES = [
  'com', 'net', 'org', 'edu', 'gov', 'io', 'co', 'us', 'uk', 'ca', 'co.uk', 'ac.uk', 'org.uk', 'com.au', 'edu.au', 'co.nz',
  'amazonaws.com', 's3.amazonaws.com', 'cloudfront.net', 'azurewebsites.net', 'blob.core.windows.net', 'herokuapp.com',
  'github.io', 'appspot.com', 'firebaseapp.com', 'netlify.app', 'vercel.app', 'blogspot.com', 'apigee.net', 'akamaized.net',
  'fastly.net', 'cloudflare.net', 'googleapis.com', 'googleusercontent.com', 'wordpress.com',
] as const;

const MULTI_SERVICE = ['google.com', 'amazon.com', 'microsoft.com', 'apple.com', 'yahoo.com', 'live.com', 'windows.net', 'oclc.org'] as const;

function isUnder(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** The tracker service a host belongs to, or undefined. */
export function trackerOf(host: string): string | undefined {
  return TRACKERS.find((tracker) => isUnder(host.toLowerCase(), tracker));
}

/** Why a Domain is broad, in plain words, or undefined when it is one vendor's own domain. */
export function whyDomainIsBroad(domain: string): string | undefined {
  const lower = domain.toLowerCase();
  if ((PUBLIC_SUFFIXES as ReadonlyArray<string>).includes(lower)) return `"${lower}" is a public suffix or shared hosting platform: every customer's site under it would be proxied`;
  // The company's own domain only: one of its services (books.google.com) is one vendor.
  if ((MULTI_SERVICE as ReadonlyArray<string>).includes(lower)) return `"${lower}" covers many unrelated services (mail, accounts, search...), not just this vendor`;
  return undefined;
}
