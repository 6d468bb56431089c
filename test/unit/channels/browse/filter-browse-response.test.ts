import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../src/contracts/compiled-contract.ts';
import type { BrowseContext } from '../../../../src/channels/browse/browse-context.ts';
import { createBrowseResponseFilter } from '../../../../src/channels/browse/filter-browse-response.ts';
import { createProxiedOrigins } from '../../../../src/channels/browse/proxied-origins.ts';
import { createPatronTagger } from '../../../../src/policy/pseudonyms/patron-tag.ts';

/**
 * The gateway's CSP on answers from hosts under a contract's browse.domains (EZproxy's Domain):
 * such a host is proxied on an origin of its own. The hosts under the domains that the contract
 * names (script hosts, {proxy:HOST}) are in every answer's CSP; any other one's own origin is added
 * to the CSP of its own answers, so its pages load their own resources; loads from one host to
 * another host known only through `domains` stay refused (a CSP cannot name
 * "every origin of this vendor": see the README); another vendor's origins and the gateway's
 * never appear.
 */
function vendor(id: string, url: string, hosts: string[], domains: string[] = [], scriptHosts: string[] = []): CompiledContract {
  return {
    id,
    upstream: { url, hosts },
    browse: { domains, scriptHosts, replace: [], neverProxy: [], block: { paths: [], hosts: [], defaults: true } },
    response: { headerSet: new Set<string>() },
  } as unknown as CompiledContract;
}

const contracts = [vendor('news', 'https://www.news.example/', ['www.news.example', 'img.news.example'], ['news.example'], ['api.news.example']), vendor('other', 'https://www.other.example/', ['www.other.example'], ['other.example'])];

function cspFor(host: string): Map<string, string[]> {
  const origins = createProxiedOrigins({ proxyDomain: 'lib-proxy.org', secure: true, publicOrigin: 'https://library.org', contracts });
  const filter = createBrowseResponseFilter({ origins, contracts, tagger: createPatronTagger(Buffer.alloc(32, 1)), secureCookies: true, onBlocked: () => undefined });
  const route = origins.route(host);
  if (route.kind !== 'vendor') throw new Error(`${host} is not a vendor host`);
  const context = { contract: contracts[0], host: route.host, req: { method: 'GET', headers: {} }, upstreamPath: '/', query: '' } as unknown as BrowseContext;
  const upstream = { headers: { 'content-type': 'text/html; charset=utf-8' } } as unknown as IncomingMessage;
  filter.filter(context, upstream);
  const policy = String(upstream.headers['content-security-policy']);
  return new Map(policy.split('; ').map((directive) => {
    const [name, ...sources] = directive.split(' ');
    return [name as string, sources];
  }));
}

const WWW = 'https://www-news-example.lib-proxy.org';
const IMG = 'https://img-news-example.lib-proxy.org';
const JOURNALS = 'https://journals-news-example.lib-proxy.org';
const ARCHIVE = 'https://archive-news-example.lib-proxy.org';
/** A script host under the domain (EZproxy DJ): named by the contract, so in every answer's CSP. */
const API = 'https://api-news-example.lib-proxy.org';

describe("browse CSP on hosts under a contract's domains", () => {
  it.each([
    ['a page on an exact host allows the exact hosts and the named script host', 'www-news-example.lib-proxy.org', [WWW, IMG, API]],
    ['a page on a host under browse.domains also allows its own origin, so it loads its own resources', 'journals-news-example.lib-proxy.org', [WWW, IMG, API, JOURNALS]],
  ])('%s', (_why, host, allowed) => {
    const csp = cspFor(host);
    for (const directive of ['script-src', 'style-src', 'img-src', 'font-src', 'connect-src', 'frame-src', 'form-action', 'base-uri', 'frame-ancestors']) {
      expect((csp.get(directive) ?? []).filter((source) => source.startsWith('https:'))).toEqual(allowed);
    }
  });

  it('another host under the same domain is not allowed from that page (no CSP source expression names it)', () => {
    const csp = cspFor('journals-news-example.lib-proxy.org');
    expect(csp.get('img-src')).not.toContain(ARCHIVE);
  });

  it("never another vendor's origin, the gateway's own, or a wildcard over the proxy domain", () => {
    for (const host of ['www-news-example.lib-proxy.org', 'journals-news-example.lib-proxy.org']) {
      const sources = [...cspFor(host).values()].flat();
      expect(sources.filter((source) => source.includes('other') || source.includes('library.org') || source.includes('*'))).toEqual([]);
    }
  });
});
