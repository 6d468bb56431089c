import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../src/contracts/compiled-contract.ts';
import { createProxiedOrigins } from '../../../../src/channels/browse/proxied-origins.ts';

/** The parts of a compiled contract the origin table reads. */
function vendor(id: string, url: string, hosts: string[], browse: Partial<{ domains: string[]; neverProxy: string[]; blockHosts: string[]; scriptHosts: string[]; replace: Array<{ find: string; replace: string }> }> = {}): CompiledContract {
  return {
    id,
    upstream: { url, hosts },
    browse: { domains: browse.domains ?? [], scriptHosts: browse.scriptHosts ?? [], replace: browse.replace ?? [], neverProxy: browse.neverProxy ?? [], block: { paths: [], hosts: browse.blockHosts ?? [], defaults: true } },
  } as unknown as CompiledContract;
}

const contracts = [
  vendor('news', 'https://www.news.example/', ['www.news.example', 'img.news.example', 'beacon.news.example'], { domains: ['static-news.example'], neverProxy: ['www.facebook.com'], blockHosts: ['beacon.news.example'] }),
  vendor('db', 'http://db.example:8080/start', ['db.example', 'cdn.db.example:9000']),
  { id: 'api-only', upstream: { url: 'https://api.example/', hosts: ['api.example'] } } as unknown as CompiledContract,
];
/** Built inside each test, so that every test exercises the table's construction too. */
const build = () => createProxiedOrigins({ proxyDomain: 'lib-proxy.org', secure: true, publicOrigin: 'https://library.org', contracts });

describe('route: a Host on the gateway listener', () => {
  const table: Array<[string, string | undefined, unknown]> = [
    ['the gateway itself', 'library.org', { kind: 'gateway' }],
    ['no Host at all', undefined, { kind: 'gateway' }],
    ['the proxy domain itself is not a vendor host', 'lib-proxy.org', { kind: 'gateway' }],
    ['an exact host', 'www-news-example.lib-proxy.org', { kind: 'vendor', host: { vendorId: 'news', upstreamHost: 'www.news.example', upstreamOrigin: 'https://www.news.example', proxiedOrigin: 'https://www-news-example.lib-proxy.org', blocked: false } }],
    ['a Host in capitals', 'WWW-NEWS-EXAMPLE.LIB-PROXY.ORG', { kind: 'vendor', host: { vendorId: 'news', upstreamHost: 'www.news.example', upstreamOrigin: 'https://www.news.example', proxiedOrigin: 'https://www-news-example.lib-proxy.org', blocked: false } }],
    ['a host under a domain of the contract', 'a-static--news-example.lib-proxy.org', { kind: 'vendor', host: { vendorId: 'news', upstreamHost: 'a.static-news.example', upstreamOrigin: 'https://a.static-news.example', proxiedOrigin: 'https://a-static--news-example.lib-proxy.org', blocked: false } }],
    ['the host on the URL\'s port (inherited by hosts written without one)', 'db-example---p8080.lib-proxy.org', { kind: 'vendor', host: { vendorId: 'db', upstreamHost: 'db.example:8080', upstreamOrigin: 'http://db.example:8080', proxiedOrigin: 'https://db-example---p8080.lib-proxy.org', blocked: false } }],
    ['a host with a port of its own', 'cdn-db-example---p9000.lib-proxy.org', { kind: 'vendor', host: { vendorId: 'db', upstreamHost: 'cdn.db.example:9000', upstreamOrigin: 'http://cdn.db.example:9000', proxiedOrigin: 'https://cdn-db-example---p9000.lib-proxy.org', blocked: false } }],
    ['a blocked collection host is routed, marked blocked', 'beacon-news-example.lib-proxy.org', { kind: 'vendor', host: { vendorId: 'news', upstreamHost: 'beacon.news.example', upstreamOrigin: 'https://www.news.example'.replace('www', 'beacon'), proxiedOrigin: 'https://beacon-news-example.lib-proxy.org', blocked: true } }],
    ['the same host on another port is unknown', 'db-example.lib-proxy.org', { kind: 'unknown' }],
    ['a host no contract names', 'www-tracker-example.lib-proxy.org', { kind: 'unknown' }],
    ['a vendor without a browse section is unknown', 'api-example.lib-proxy.org', { kind: 'unknown' }],
    ['a label that is not canonical', 'www---news.lib-proxy.org', { kind: 'unknown' }],
    ['two labels deep', 'x.www-news-example.lib-proxy.org', { kind: 'unknown' }],
    ['a host under a domain with a port is unknown (domains are default-port only)', 'a-static--news-example---p8443.lib-proxy.org', { kind: 'unknown' }],
  ];
  it.each(table)('%s: %s', (_why, host, route) => {
    expect(build().route(host)).toEqual(route);
  });
});

describe('mapUrl: what the patron\'s browser is given for an upstream URL', () => {
  const table: Array<[string, string, string, string | undefined]> = [
    ['an allowed host keeps path, query and fragment', 'news', 'https://img.news.example/a/b.png?x=1#f', 'https://img-news-example.lib-proxy.org/a/b.png?x=1#f'],
    ['http on an https vendor maps to the same origin', 'news', 'http://www.news.example/', 'https://www-news-example.lib-proxy.org/'],
    ['the default port is the same host', 'news', 'https://www.news.example:443/x', 'https://www-news-example.lib-proxy.org/x'],
    ['a host under a domain', 'news', 'https://fonts.static-news.example/f.woff2', 'https://fonts-static--news-example.lib-proxy.org/f.woff2'],
    ['a neverProxy host goes to the leaving page', 'news', 'https://www.facebook.com/share?u=1', 'https://library.org/leaving?to=https%3A%2F%2Fwww.facebook.com%2Fshare%3Fu%3D1'],
    ['a blocked collection host is not given', 'news', 'https://beacon.news.example/hit', undefined],
    ['another vendor\'s host is not given', 'news', 'http://db.example:8080/', undefined],
    ['a third-party host is not given', 'news', 'https://www.google-analytics.com/g/collect', undefined],
    ['not a URL', 'news', 'not a url', undefined],
    ['another scheme on an allowed host', 'news', 'ftp://www.news.example/file', undefined],
    ['another scheme on a neverProxy host', 'news', 'ftp://www.facebook.com/', undefined],
    ['a neverProxy host on a port of its own is another host', 'news', 'https://www.facebook.com:8443/', undefined],
    ['a host on the URL port of a vendor with a port', 'db', 'http://db.example:8080/x', 'https://db-example---p8080.lib-proxy.org/x'],
    ['the same host on the default port is another host', 'db', 'http://db.example/x', undefined],
    ['a host written with a port of its own', 'db', 'http://cdn.db.example:9000/a.css', 'https://cdn-db-example---p9000.lib-proxy.org/a.css'],
    ['an https URL on an http vendor\'s host (its default port is another host)', 'db', 'https://db.example:8080/x', 'https://db-example---p8080.lib-proxy.org/x'],
    ['a javascript: URL', 'news', 'javascript:alert(1)', undefined],
    ['an unknown vendor', 'nobody', 'https://www.news.example/', undefined],
  ];
  it.each(table)('%s', (_why, vendorId, absolute, mapped) => {
    expect(build().mapUrl(vendorId, absolute)).toBe(mapped);
  });
});

describe('the table', () => {
  it('lists the exact, unblocked hosts of a vendor as its origins (the CSP sources)', () => {
    const origins = build();
    expect(origins.originsOf('news')).toEqual(['https://www-news-example.lib-proxy.org', 'https://img-news-example.lib-proxy.org']);
    expect(origins.originsOf('nobody')).toEqual([]);
  });

  it.each([
    ['a script host under its domains (EZproxy DJ)', { scriptHosts: ['api.journals.example'] }, ['https://api-journals-example.lib-proxy.org']],
    ['a {proxy:HOST} host of a find/replace rule under its domains', { replace: [{ find: 'https://sso.example', replace: '{proxy: Login.Journals.example }/sso' }] }, ['https://login-journals-example.lib-proxy.org']],
    ["a script host under another vendor's domain is not this vendor's", { scriptHosts: ['cdn.static-news.example'] }, []],
    ['a script host that is an exact host already is listed once', { scriptHosts: ['www.journals.example'] }, []],
    ['a named host the contract blocks is left out', { scriptHosts: ['beacon.journals.example'], blockHosts: ['beacon.journals.example'] }, []],
    ['a named host whose label would pass 63 characters has no origin', { scriptHosts: [`${'a'.repeat(60)}.journals.example`] }, []],
  ])('adds to the origins the hosts under its domains that the contract names: %s', (_why, browse, extra) => {
    const journals = vendor('journals', 'https://www.journals.example/', ['www.journals.example'], { domains: ['journals.example'], ...browse });
    const origins = createProxiedOrigins({ proxyDomain: 'lib-proxy.org', secure: true, publicOrigin: 'https://library.org', contracts: [...contracts, journals] });
    expect(origins.originsOf('journals')).toEqual(['https://www-journals-example.lib-proxy.org', ...extra]);
  });

  it('knows which vendors browse and where each starts', () => {
    const origins = build();
    expect(origins.has('news')).toBe(true);
    expect(origins.has('api-only')).toBe(false);
    expect(origins.startOf('db')?.proxiedOrigin).toBe('https://db-example---p8080.lib-proxy.org');
    expect(origins.startOf('nobody')).toBeUndefined();
    expect(origins.problems).toEqual([]);
  });

  it('uses http origins when the gateway is not on https', () => {
    const plain = createProxiedOrigins({ proxyDomain: 'proxy.localhost:8080', secure: false, publicOrigin: 'http://localhost:8080', contracts });
    expect(plain.route('www-news-example.proxy.localhost:8080')).toMatchObject({ kind: 'vendor', host: { proxiedOrigin: 'http://www-news-example.proxy.localhost:8080' } });
    expect(plain.route('www-news-example.proxy.localhost')).toEqual({ kind: 'gateway' });
  });

  const problems: Array<[string, CompiledContract[], RegExp]> = [
    ['two vendors naming one host', [vendor('a', 'https://www.shared.example/', ['www.shared.example']), vendor('b', 'https://www.shared.example/', ['www.shared.example'])], /b: the host www\.shared\.example is a's too/],
    ['a host under another vendor\'s domain', [vendor('a', 'https://www.a.example/', ['www.a.example'], { domains: ['b.example'] }), vendor('b', 'https://x.b.example/', ['x.b.example'])], /b: the host x\.b\.example is under a's domain b\.example/],
    ['overlapping domains', [vendor('a', 'https://www.a.example/', ['www.a.example'], { domains: ['shared.example'] }), vendor('b', 'https://www.b.example/', ['www.b.example'], { domains: ['cdn.shared.example'] })], /b: the domain cdn\.shared\.example overlaps a's shared\.example/],
    ['a host whose label would pass 63 characters', [vendor('a', `https://${'x'.repeat(60)}.example/`, [`${'x'.repeat(60)}.example`])], /a: the host .* has no origin under lib-proxy\.org/],
  ];
  it.each(problems)('refuses to start with %s (that problem only)', (_why, given, message) => {
    const table = createProxiedOrigins({ proxyDomain: 'lib-proxy.org', secure: true, publicOrigin: 'https://library.org', contracts: given });
    expect(table.problems).toHaveLength(1);
    expect(table.problems[0]).toMatch(message);
  });

  it('finds no problem in vendors that each keep to their own hosts and domains, one host listed twice by the same vendor included', () => {
    const table = createProxiedOrigins({
      proxyDomain: 'lib-proxy.org',
      secure: true,
      publicOrigin: 'https://library.org',
      contracts: [vendor('a', 'https://www.a.example/', ['www.a.example', 'www.a.example', 'x.a.example'], { domains: ['a.example'] }), vendor('b', 'https://www.b.example/', ['www.b.example'], { domains: ['b.example', 'cdn.b.example'] })],
    });
    expect(table.problems).toEqual([]);
    expect(table.route('x-a-example.lib-proxy.org')).toMatchObject({ kind: 'vendor', host: { vendorId: 'a' } });
    // The longest domain wins: both of b's domains name it, and it is b's either way.
    expect(table.route('img-cdn-b-example.lib-proxy.org')).toMatchObject({ kind: 'vendor', host: { vendorId: 'b', upstreamHost: 'img.cdn.b.example' } });
  });

  it('routes a host under the longer of two domains to the vendor that named it', () => {
    const table = createProxiedOrigins({
      proxyDomain: 'lib-proxy.org',
      secure: true,
      publicOrigin: 'https://library.org',
      contracts: [vendor('a', 'https://www.a.example/', ['www.a.example'], { domains: ['media.example'] }), vendor('b', 'https://www.b.example/', ['www.b.example'], { domains: ['video.media2.example'] })],
    });
    expect(table.route('x-video-media2-example.lib-proxy.org')).toMatchObject({ kind: 'vendor', host: { vendorId: 'b' } });
    expect(table.route('x-media-example.lib-proxy.org')).toMatchObject({ kind: 'vendor', host: { vendorId: 'a' } });
  });
});
