/**
 * Request headers any vendor may receive: content negotiation, caching and ranges, the body's
 * type and length, and the user agent. Everything else is dropped unless the contract lists it in
 * `request.headers`. Never forwarded, whatever a contract says: the gateway's cookies (only
 * vendor-marked cookies are rebuilt), Authorization, X-Forwarded-*, Forwarded, X-Real-IP, Via,
 * Referer, and hop-by-hop headers.
 */
export const ALLOWED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'accept-language',
  'accept-encoding',
  'cache-control',
  'pragma',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
  'content-type',
  'content-length',
  'user-agent',
]);

export const NEVER_FORWARDED_HEADERS: ReadonlySet<string> = new Set([
  'cookie',
  'authorization',
  'proxy-authorization',
  'forwarded',
  'x-real-ip',
  'via',
  'referer',
  'origin',
  'host',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'true-client-ip',
  'cf-connecting-ip',
  'x-client-ip',
  'x-cluster-client-ip',
]);

/** True when a contract may not add this header to its allowlist (validated at startup). */
export function isNeverForwarded(name: string): boolean {
  const lower = name.toLowerCase();
  return NEVER_FORWARDED_HEADERS.has(lower) || lower.startsWith('x-forwarded-');
}
