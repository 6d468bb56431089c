import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { parseVendorSetCookie, serializeCookie, VENDOR_COOKIE_PREFIX } from '../../lib/cookies.ts';
import type { PatronTagger } from '../../policy/pseudonyms/patron-tag.ts';
import { PASSED_RESPONSE_HEADERS } from '../../policy/response-headers.ts';
import { confineVendorAnswer } from '../proxy/filter-response/confine-vendor-answer.ts';
import type { BrowseContext } from './browse-context.ts';
import { BROWSE_FIXED_HEADERS, BROWSE_REWRITTEN_HEADERS, buildBrowseCsp } from './privacy-headers.ts';
import type { ProxiedOrigins } from './proxied-origins.ts';
import { createBodyRewriter, rewriteResponseHeaders, type RewriteOptions } from './rewrite/index.ts';

export interface BrowseResponseFilter {
  /** Filters the vendor's headers in place and returns the body rewriter for this answer (null: the body streams untouched). */
  filter(context: BrowseContext, upstream: IncomingMessage): Transform | null;
}

const REWRITTEN = new Set(BROWSE_REWRITTEN_HEADERS);

/**
 * The answer on a vendor origin: the /v/ allowlist of headers (plus the URL-bearing ones, rewritten
 * onto proxied origins), the vendor's cookies kept on this origin only (Domain removed, name marked
 * `vc.<vendor>.`, value bound to the patron), the ETag tagged with the patron, private caching,
 * the gateway's egress CSP beside the vendor's (the vendor's exact hosts' origins, and the origin
 * of the answer itself when it is a host under browse.domains), and the fixed privacy headers. Every host the
 * rewriter keeps from the page is counted (onBlocked).
 */
export function createBrowseResponseFilter(deps: { origins: ProxiedOrigins; contracts: Iterable<CompiledContract>; tagger: PatronTagger; secureCookies: boolean; onBlocked: (vendorId: string, host: string) => void }): BrowseResponseFilter {
  const plans = new Map<string, { origins: ReadonlyArray<string>; csp: string; scriptHosts: RewriteOptions['scriptHosts']; replace: RewriteOptions['replace'] }>();
  for (const contract of deps.contracts) {
    const browse = contract.browse;
    if (!browse || !contract.upstream) continue;
    const proxiedOf = (host: string): string | undefined => deps.origins.mapUrl(contract.id, `${new URL(contract.upstream?.url ?? 'http://x').protocol}//${host}/`)?.replace(/\/$/, '');
    const scriptHosts = browse.scriptHosts.flatMap((host) => {
      const proxied = proxiedOf(host);
      return proxied === undefined ? [] : [{ host, proxied }];
    });
    // `{proxy:HOST}` in a replacement is expanded by the rewriter, through mapUrl.
    const replace = browse.replace;
    const origins = deps.origins.originsOf(contract.id);
    plans.set(contract.id, { origins, csp: buildBrowseCsp(origins), scriptHosts, replace });
  }
  return {
    filter(context, upstream) {
      const contract = context.contract as CompiledContract;
      const plan = plans.get(contract.id);
      if (!plan) throw new Error('no plan for vendor');
      const source = upstream.headers;
      const headers: IncomingHttpHeaders = {};
      const extra = contract.response.headerSet;
      for (const name in source) if (PASSED_RESPONSE_HEADERS.has(name) || REWRITTEN.has(name) || extra.has(name)) headers[name] = source[name];
      const setCookie = headers['set-cookie'];
      delete headers['set-cookie'];
      const onBlocked = (host: string): void => deps.onBlocked(contract.id, host);
      const options: RewriteOptions = {
        mapUrl: (absolute) => deps.origins.mapUrl(contract.id, absolute),
        baseUrl: `${context.host.upstreamOrigin}${context.upstreamPath}${context.query === '' ? '' : `?${context.query}`}`,
        scriptHosts: plan.scriptHosts,
        replace: plan.replace,
        onBlocked,
      };
      rewriteResponseHeaders(headers as Record<string, string | string[] | undefined>, { ...options, cookieDomainFor: () => undefined });
      const patronId = context.patron?.patronId;
      if (setCookie && patronId !== undefined) {
        const tag = deps.tagger.tag(patronId, contract.id);
        const kept: string[] = [];
        for (const line of setCookie) {
          const cookie = parseVendorSetCookie(line);
          if (!cookie) continue;
          const { name, value, ...lifetime } = cookie;
          try {
            // Host-only on this proxied origin (Domain dropped), for the whole origin: kept per origin.
            kept.push(serializeCookie(`${VENDOR_COOKIE_PREFIX}${contract.id}.${name}`, `${tag}.${value}`, { ...lifetime, path: '/', secure: deps.secureCookies }));
          } catch {
            // An invalid name or value: dropped.
          }
        }
        if (kept.length > 0) headers['set-cookie'] = kept;
      }
      // A host reached under browse.domains is not among the exact hosts: its own origin is added, so
      // a page it serves loads its own resources (never another vendor's origin: it is this vendor's).
      const self = context.host.proxiedOrigin;
      const csp = plan.origins.includes(self) ? plan.csp : buildBrowseCsp([...plan.origins, self]);
      confineVendorAnswer(headers, { tagger: deps.tagger, vendorId: contract.id, patronId }, csp);
      Object.assign(headers, BROWSE_FIXED_HEADERS);
      const rewriter = context.req.method === 'HEAD' ? null : createBodyRewriter(typeof source['content-type'] === 'string' ? source['content-type'] : '', source['content-encoding'], options);
      if (rewriter) delete headers['content-length'];
      upstream.headers = headers;
      return rewriter;
    },
  };
}
