/**
 * The shipped list of well-known first-party analytics and collection paths, blocked on every
 * browse vendor's hosts unless its contract says `browse.block.defaults: false`. Path prefixes,
 * matched case-insensitively against the request path. Data, not code: edit with care, and say
 * in the README why an entry is here. Sources: the paths served by the analytics libraries that
 * vendors self-host or proxy through their own domain (Google Analytics and Tag Manager, Adobe,
 * Matomo/Piwik, Plausible, Segment, Snowplow, Hotjar, New Relic browser, Sentry envelope,
 * Fastly/Akamai beacons).
 */
export const DEFAULT_COLLECTION_PATHS: ReadonlyArray<string> = Object.freeze([
  '/g/collect',
  '/j/collect',
  '/r/collect',
  '/collect',
  '/gtag/js',
  '/gtm.js',
  '/analytics.js',
  '/ga.js',
  '/b/ss/',
  '/matomo.php',
  '/matomo.js',
  '/piwik.php',
  '/piwik.js',
  '/api/event',
  '/js/script.js',
  '/v1/t',
  '/v1/p',
  '/v1/batch',
  '/com.snowplowanalytics.snowplow/',
  '/i?e=',
  '/hotjar-',
  '/beacon',
  '/akam/',
  '/nr-spa',
  '/api/envelope/',
]);
