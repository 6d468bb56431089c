/**
 * Vendor response headers that reach the patron's browser: what the body is (type, length,
 * encoding, language, range, disposition), how it may be cached, when it was sent, and when to
 * come back. Anything else is dropped, whatever its name: a header that acts on the whole origin
 * (service worker scope, reporting endpoints, preloads and hints, opener and frame policies,
 * refresh, CORS, site data, HSTS, alternative services...) is the library's to set, never a
 * vendor's. Some of these are rewritten on the way (cookies, Location, ETag, Cache-Control,
 * Vary, Content-Security-Policy); see the filter-response stage.
 */
export const PASSED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'accept-ranges',
  'age',
  'allow',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-length',
  'content-range',
  'content-security-policy',
  'content-type',
  'date',
  'etag',
  'expires',
  'location',
  'pragma',
  'retry-after',
  'set-cookie',
  'vary',
]);
