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

/**
 * Headers a contract may never add to the allowlist: they act on the gateway's whole origin or on
 * the browser's connection to it, or the gateway rewrites or sets them itself. Names starting with
 * one of NEVER_PASSED_PREFIXES are refused too.
 */
const NEVER_PASSED_RESPONSE_HEADERS: ReadonlyMap<string, string> = new Map([
  ...['service-worker-allowed', 'nel', 'report-to', 'reporting-endpoints', 'speculation-rules', 'link', 'accept-ch', 'critical-ch', 'set-login', 'origin-agent-cluster', 'alt-svc', 'permissions-policy', 'feature-policy', 'x-frame-options', 'refresh', 'clear-site-data', 'strict-transport-security', 'timing-allow-origin', 'x-dns-prefetch-control', 'x-permitted-cross-domain-policies', 'document-policy', 'supports-loading-mode', 'no-vary-search', 'expect-ct', 'public-key-pins', 'public-key-pins-report-only', 'x-xss-protection', 'x-download-options', 'sourcemap', 'x-sourcemap'].map((name) => [name, 'it acts on the gateway\'s whole origin'] as const),
  ...['set-cookie', 'set-cookie2', 'location', 'etag', 'last-modified', 'content-location', 'cache-control', 'vary', 'referrer-policy', 'x-content-type-options', 'www-authenticate', 'proxy-authenticate', 'server-timing'].map((name) => [name, 'the gateway rewrites, sets or withholds it'] as const),
  ...['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'proxy-connection', 'te'].map((name) => [name, 'it belongs to one connection, not the answer'] as const),
]);
const NEVER_PASSED_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['access-control-', 'cross-origin access is the gateway\'s to grant'],
  ['cross-origin-', 'it acts on the gateway\'s whole origin'],
  ['content-security-policy', 'the gateway sets the vendor\'s policy'],
  ['sec-', 'browsers reserve these names'],
  ['proxy-', 'it belongs to one connection, not the answer'],
];

/** Why a vendor response header may never be added to the allowlist by a contract, or undefined when it may. */
export function whyNeverPassed(name: string): string | undefined {
  const lower = name.toLowerCase();
  const reason = NEVER_PASSED_RESPONSE_HEADERS.get(lower);
  if (reason !== undefined) return reason;
  for (const [prefix, why] of NEVER_PASSED_PREFIXES) if (lower.startsWith(prefix)) return why;
  return undefined;
}
