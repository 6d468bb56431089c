import { describeBodyRewrite } from './body-plan.ts';
import { rewriteContentSecurityPolicy } from './content-security-policy.ts';
import { rewriteLinkHeader } from './link-header.ts';
import { rewriteRefreshValue } from './refresh-value.ts';
import { BLOCKED_URL, type RewriteOptions } from './rewrite-options.ts';
import { createUrlMapper } from './url-mapper.ts';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface HeaderRewriteOptions extends RewriteOptions {
  /** The Domain= a vendor cookie for this upstream domain gets on the patron's side, or undefined to make it host-only. */
  readonly cookieDomainFor: (upstreamDomain: string) => string | undefined;
}

/**
 * Rewrites an upstream response's headers in place (lower-case names, as node:http gives them):
 *
 * | header | what happens |
 * |---|---|
 * | Location | navigation through mapUrl, resolved against baseUrl; removed if refused or javascript: |
 * | Content-Location | a load through mapUrl; removed if refused |
 * | Refresh | its URL, as a navigation |
 * | Link | each target, as a load; refused links dropped, the header removed when none is left |
 * | Access-Control-Allow-Origin | an upstream origin becomes its proxied origin; `*` and `null` stay; a refused origin removes it |
 * | Set-Cookie | Domain= becomes cookieDomainFor(domain), or is removed (host-only); Secure, Path, SameSite, HttpOnly stay |
 * | Content-Security-Policy | host sources mapped (content-security-policy.ts); the browse channel adds the gateway's own policy beside it |
 * | Content-Security-Policy-Report-Only | removed |
 * | Content-Length, Content-MD5, Digest, Content-Digest, Repr-Digest, Accept-Ranges | removed when the body will be rewritten (describeBodyRewrite says 'rewrite'): its length and bytes change |
 *
 * Everything else is left to the browse channel's header policy.
 */
export function rewriteResponseHeaders(headers: ResponseHeaders, options: HeaderRewriteOptions): void {
  const mapper = createUrlMapper(options, new Set(options.scriptHosts.map((h) => new URL(h.proxied).origin)));
  const location = single(headers['location']);
  if (location !== undefined) setOrDelete(headers, 'location', blockedToUndefined(mapper.map(location, 'navigate'), location));
  const contentLocation = single(headers['content-location']);
  if (contentLocation !== undefined) setOrDelete(headers, 'content-location', blockedToUndefined(mapper.map(contentLocation, 'load'), contentLocation));
  const refresh = single(headers['refresh']);
  if (refresh !== undefined) headers['refresh'] = rewriteRefreshValue(refresh, mapper) ?? refresh;
  const link = joined(headers['link']);
  if (link !== undefined) setOrDelete(headers, 'link', rewriteLinkHeader(link, mapper));
  const allowOrigin = single(headers['access-control-allow-origin']);
  if (allowOrigin !== undefined) setOrDelete(headers, 'access-control-allow-origin', rewriteAllowOrigin(allowOrigin.trim(), options));
  const cookies = headers['set-cookie'];
  if (cookies !== undefined) headers['set-cookie'] = (Array.isArray(cookies) ? cookies : [cookies]).map((c) => rewriteCookieDomain(c, options.cookieDomainFor));
  const csp = headers['content-security-policy'];
  if (csp !== undefined) headers['content-security-policy'] = Array.isArray(csp) ? csp.map((p) => rewriteContentSecurityPolicy(p, options.mapUrl)) : rewriteContentSecurityPolicy(csp, options.mapUrl);
  delete headers['content-security-policy-report-only'];
  if (describeBodyRewrite(single(headers['content-type']), single(headers['content-encoding']), options).kind === 'rewrite') {
    for (const name of BODY_BOUND_HEADERS) delete headers[name];
  }
}

const BODY_BOUND_HEADERS = ['content-length', 'content-md5', 'digest', 'content-digest', 'repr-digest', 'accept-ranges'];

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function blockedToUndefined(mapped: string | null | undefined, original: string): string | undefined {
  if (mapped === undefined) return original;
  return mapped === null || mapped === BLOCKED_URL ? undefined : mapped;
}

function setOrDelete(headers: ResponseHeaders, name: string, value: string | undefined): void {
  if (value === undefined) delete headers[name];
  else headers[name] = value;
}

function rewriteAllowOrigin(value: string, options: RewriteOptions): string | undefined {
  if (value === '*' || value === 'null') return value;
  let origin: URL;
  try {
    origin = new URL(value);
  } catch {
    return undefined;
  }
  const mapped = options.mapUrl(`${origin.origin}/`, 'load');
  if (mapped === undefined) {
    options.onBlocked?.(origin.host);
    return undefined;
  }
  return new URL(mapped).origin;
}

/** Set-Cookie: only the Domain attribute changes. */
export function rewriteCookieDomain(cookie: string, cookieDomainFor: (upstreamDomain: string) => string | undefined): string {
  const parts = cookie.split(';');
  const out: string[] = [parts[0]!];
  for (const part of parts.slice(1)) {
    const m = /^\s*domain\s*=\s*\.?(.*?)\s*$/i.exec(part);
    if (m === null) {
      out.push(part);
      continue;
    }
    const domain = cookieDomainFor(m[1]!.toLowerCase());
    if (domain !== undefined) out.push(` Domain=${domain}`);
  }
  return out.join(';');
}
