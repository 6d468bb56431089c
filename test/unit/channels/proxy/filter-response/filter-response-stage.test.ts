import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createFilterResponseStage } from '../../../../../src/channels/proxy/filter-response/filter-response-stage.ts';
import { buildVendorCsp } from '../../../../../src/channels/proxy/filter-response/vendor-csp.ts';
import { createPatronTagger } from '../../../../../src/policy/pseudonyms/patron-tag.ts';
import { ADULT, CHILD, compileVendor, makeContext } from '../stage-fixtures.ts';

const PUBLIC_ORIGIN = 'https://library.example';
const books = compileVendor('books', { upstream: 'upstream: { url: "https://api.books.example/base", hosts: [api.books.example, cdn.books.example] }' });
const films = compileVendor('films', { upstream: 'upstream: { url: "https://films.example", hosts: [films.example] }' });
const tagger = createPatronTagger(Buffer.alloc(32, 7));
// Built per use (not when the file loads), so what the stage precomputes per contract is checked
// too; films is left out of the map: a contract the stage was not given is planned on the spot.
const createStage = () => createFilterResponseStage({ secureCookies: true, publicOrigin: PUBLIC_ORIGIN, contracts: new Map([[books.id, books]]), tagger });
const BOOKS_CSP = buildVendorCsp(PUBLIC_ORIGIN, 'books');

/** What the gateway adds to every vendor response, whatever the vendor sent. */
const ALWAYS = {
  'cache-control': 'private',
  vary: 'Cookie',
  'content-security-policy': BOOKS_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-dns-prefetch-control': 'off',
};

/** The vendor's response as http-proxy hands it over: a real IncomingMessage with parsed headers. */
function vendorResponse(headers: IncomingMessage['headers'], status = 200): IncomingMessage {
  const response = new IncomingMessage(new Socket());
  response.statusCode = status;
  response.headers = { ...headers };
  return response;
}

function filtered(headers: IncomingMessage['headers'], options: { contract?: typeof books; status?: number; patron?: typeof ADULT | null; upstreamPath?: string } = {}): IncomingMessage['headers'] {
  const response = vendorResponse(headers, options.status);
  const patron = options.patron === null ? undefined : (options.patron ?? ADULT);
  createStage().respond?.(makeContext({ contract: options.contract ?? books, ...(patron ? { patron } : {}), upstreamPath: options.upstreamPath ?? '/' }), response);
  return response.headers;
}

describe('filter response stage: only allowlisted headers pass', () => {
  it('is the pipeline\'s "filter response" stage, with a respond hook only', () => {
    const stage = createStage();
    expect(stage.name).toBe('filter response');
    expect(stage.run).toBeUndefined();
  });

  it('starts beside contracts with no upstream (grant programmes are never proxied)', () => {
    const { upstream: _none, ...grant } = books;
    const contracts = new Map([['grant', { ...grant, id: 'grant' } as typeof books], [books.id, books]]);
    expect(() => createFilterResponseStage({ secureCookies: true, publicOrigin: PUBLIC_ORIGIN, contracts, tagger })).not.toThrow();
  });

  // Each of these acts on the gateway's whole origin (or reaches beyond it): none is a vendor's to set.
  it.each([
    ['service-worker-allowed', '/'],
    ['nel', '{"report_to":"x","max_age":86400}'],
    ['report-to', '{"group":"x","endpoints":[{"url":"https://collector.example/"}]}'],
    ['reporting-endpoints', 'x="https://collector.example/"'],
    ['speculation-rules', '"/rules.json"'],
    ['link', '<https://tracker.example/p.js>; rel=preload; as=script'],
    ['accept-ch', 'Sec-CH-UA-Model, Sec-CH-UA-Platform-Version'],
    ['critical-ch', 'Sec-CH-UA-Model'],
    ['set-login', 'logged-in'],
    ['origin-agent-cluster', '?0'],
    ['alt-svc', 'h3=":443"; ma=86400'],
    ['permissions-policy', 'geolocation=*'],
    ['cross-origin-opener-policy', 'unsafe-none'],
    ['cross-origin-embedder-policy', 'require-corp'],
    ['cross-origin-resource-policy', 'cross-origin'],
    ['x-frame-options', 'ALLOWALL'],
    ['refresh', '0; url=https://elsewhere.example/'],
    ['content-location', 'https://elsewhere.example/doc'],
    ['access-control-allow-origin', '*'],
    ['access-control-allow-credentials', 'true'],
    ['clear-site-data', '"cookies", "storage"'],
    ['strict-transport-security', 'max-age=63072000; includeSubDomains; preload'],
    ['content-security-policy-report-only', "default-src 'none'; report-uri https://collector.example/"],
    ['last-modified', 'Tue, 03 Nov 2026 10:00:00 GMT'],
    ['www-authenticate', 'Basic realm="vendor"'],
    ['server-timing', 'patron;desc="p-1001"'],
    ['timing-allow-origin', '*'],
    ['x-vendor-anything', 'a header the gateway has never heard of'],
  ])('%s is dropped (not on the allowlist)', (name, value) => {
    expect(filtered({ 'content-type': 'application/json', [name]: value })).toEqual({ 'content-type': 'application/json', ...ALWAYS });
  });

  it.each([
    ['content-type', 'text/plain; charset=utf-8'],
    ['content-length', '12'],
    ['content-encoding', 'gzip'],
    ['content-language', 'es'],
    ['content-range', 'bytes 0-99/1000'],
    ['content-disposition', 'attachment; filename="book.epub"'],
    ['accept-ranges', 'bytes'],
    ['date', 'Sun, 29 Nov 2026 12:00:00 GMT'],
    ['expires', 'Sun, 29 Nov 2026 13:00:00 GMT'],
    ['age', '30'],
    ['allow', 'GET, HEAD'],
    ['retry-after', '120'],
    ['pragma', 'no-cache'],
  ])('%s passes as the vendor sent it (it describes the body, not the origin)', (name, value) => {
    expect(filtered({ [name]: value })).toEqual({ [name]: value, ...ALWAYS });
  });
});

describe('filter response stage: the sandbox is on every answer', () => {
  it.each([
    ['an HTML page', { 'content-type': 'text/html; charset=utf-8' }, 200],
    ['a list whose last type is HTML (a browser renders it as HTML)', { 'content-type': 'application/json, text/html' }, 200],
    ['JSON (a browser may still be made to render it)', { 'content-type': 'application/json' }, 200],
    ['an image', { 'content-type': 'image/png' }, 200],
    ['a response with no type at all (a browser sniffs it)', {}, 200],
    ['a garbled type', { 'content-type': ';;;' }, 200],
    ['304 Not Modified (the cached body is rendered under this answer\'s headers)', {}, 304],
    ['a vendor\'s own error page', { 'content-type': 'text/html' }, 500],
    ['a redirect', { location: '/base/next' }, 302],
  ])('%s', (_name, headers, status) => {
    expect(filtered(headers, { status })['content-security-policy']).toBe(BOOKS_CSP);
  });

  it('the policy limits every load to the vendor\'s own space on the gateway, and sets form-action, base-uri and frame-ancestors', () => {
    const directives = new Map(BOOKS_CSP.split('; ').map((d) => [d.split(' ')[0] ?? '', d.split(' ').slice(1)]));
    // What the browser applies to each kind of load: the directive, or the one it falls back to (CSP 3).
    const FALLBACK: Record<string, string[]> = { 'script-src': [], 'style-src': [], 'img-src': [], 'font-src': [], 'media-src': [], 'connect-src': [], 'object-src': [], 'manifest-src': [], 'frame-src': ['child-src'], 'worker-src': ['child-src', 'script-src'], 'child-src': [] };
    const effective = (name: string): string[] => {
      for (const candidate of [name, ...(FALLBACK[name] ?? []), 'default-src']) {
        const sources = directives.get(candidate);
        if (sources) return sources;
      }
      return ['*'];
    };
    const own = 'https://library.example/v/books/';
    expect(directives.get('sandbox')).not.toContain('allow-same-origin');
    for (const name of Object.keys(FALLBACK).filter((n) => n !== 'object-src')) {
      const sources = effective(name);
      expect(sources[0], name).toBe(own);
      // Nothing that names a network place other than the vendor's own space.
      expect(sources.slice(1).every((s) => ["'unsafe-inline'", 'data:', 'blob:'].includes(s)), name).toBe(true);
    }
    // No inline script (an inline speculation rule prefetches anything, whatever default-src says).
    expect(effective('script-src')).toEqual([own]);
    expect(effective('connect-src')).toEqual([own]);
    expect(effective('object-src')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual([own]);
    expect(directives.get('base-uri')).toEqual([own]);
    expect(directives.get('frame-ancestors')).toEqual(["'self'"]);
  });

  it('each vendor gets its own space (one vendor\'s page cannot load another\'s)', () => {
    expect(filtered({}, { contract: films })['content-security-policy']).toBe(buildVendorCsp(PUBLIC_ORIGIN, 'films'));
    expect(buildVendorCsp(PUBLIC_ORIGIN, 'films')).toContain('default-src https://library.example/v/films/;');
  });

  it.each([
    ['a vendor\'s own CSP is kept beside the gateway\'s (both apply: it can only narrow)', "default-src 'self'", `default-src 'self', ${BOOKS_CSP}`],
    ['its report-uri and report-to are removed (reports would go from the patron\'s browser to the vendor\'s collector)', "default-src 'self'; report-uri https://collector.example/r; REPORT-TO grp", `default-src 'self', ${BOOKS_CSP}`],
    ['a vendor policy that only reported leaves nothing of its own', 'report-uri https://collector.example/r', BOOKS_CSP],
    ['several vendor policies stay several policies', "script-src 'none', img-src 'none'; report-to x", `script-src 'none', img-src 'none', ${BOOKS_CSP}`],
    ['a vendor sandbox that allows same-origin cannot lift the gateway\'s (intersection)', 'sandbox allow-same-origin allow-scripts', `sandbox allow-same-origin allow-scripts, ${BOOKS_CSP}`],
  ])('%s', (_name, vendorPolicy, expected) => {
    expect(filtered({ 'content-security-policy': vendorPolicy })['content-security-policy']).toBe(expected);
  });
});

describe('filter response stage: caching', () => {
  it.each([
    ['no Cache-Control becomes private', undefined, 'private'],
    ['public becomes private (a shared cache must never hand one patron\'s answer to another)', 'public, max-age=600', 'private, max-age=600'],
    ['no-store is kept', 'no-store', 'private, no-store'],
    ['s-maxage and proxy-revalidate go (they speak to shared caches only)', 'max-age=60, s-maxage=3600, proxy-revalidate, must-revalidate', 'private, max-age=60, must-revalidate'],
    ['a private with field names becomes plain private', 'private="set-cookie", no-cache', 'private, no-cache'],
  ])('%s', (_name, cacheControl, expected) => {
    expect(filtered(cacheControl === undefined ? {} : { 'cache-control': cacheControl })['cache-control']).toBe(expected);
  });

  it.each([
    ['Vary gains Cookie (a cached answer is not replayed to another patron\'s session)', 'Accept-Encoding', 'Accept-Encoding, Cookie'],
    ['a Vary that already names Cookie is kept', 'cookie, Accept', 'cookie, Accept'],
    ['Vary: * already varies on everything', '*', '*'],
  ])('%s', (_name, vary, expected) => {
    expect(filtered({ vary }).vary).toBe(expected);
  });
});

describe('filter response stage: ETags are bound to the patron', () => {
  const adultTag = tagger.tag(ADULT.patronId, 'books');
  it.each([
    ['a strong ETag carries the patron\'s tag inside its quotes', '"v1-abc"', `"${adultTag}.v1-abc"`],
    ['a weak ETag stays weak', 'W/"v1"', `W/"${adultTag}.v1"`],
    ['an empty ETag is tagged too', '""', `"${adultTag}."`],
    ['a malformed ETag (no quotes) is dropped: it could not be checked on the way back', 'v1-abc', undefined],
  ])('%s', (_name, etag, expected) => {
    expect(filtered({ etag }).etag).toBe(expected);
  });

  it('another patron gets another tag for the same ETag, and the same patron another tag at another vendor', () => {
    expect(filtered({ etag: '"same"' }, { patron: CHILD }).etag).toBe(`"${tagger.tag(CHILD.patronId, 'books')}.same"`);
    expect(tagger.tag(CHILD.patronId, 'books')).not.toBe(adultTag);
    expect(filtered({ etag: '"same"' }, { contract: films }).etag).toBe(`"${tagger.tag(ADULT.patronId, 'films')}.same"`);
    expect(tagger.tag(ADULT.patronId, 'films')).not.toBe(adultTag);
  });

  it('without a patron there is nothing to bind an ETag to: it is dropped', () => {
    expect(filtered({ etag: '"v1"' }, { patron: null })).not.toHaveProperty('etag');
  });
});

describe('filter response stage: cookies and Location', () => {
  it('vendor cookies are rescoped under the vendor mark and path; unusable ones are dropped', () => {
    expect(filtered({ 'set-cookie': ['sid=abc; Domain=books.example; Path=/', 'bad name=1'] })['set-cookie']).toEqual(['vc.books.sid=abc; Path=/v/books/; HttpOnly; Secure; SameSite=Lax']);
  });

  it('a response whose cookies are all unusable sets none (no empty Set-Cookie)', () => {
    expect(filtered({ 'set-cookie': ['=x', 'bad name=1'] })).not.toHaveProperty('set-cookie');
  });

  it.each([
    ['a Location on the vendor\'s upstream comes back under /v/ (the patron stays on the gateway)', 'https://api.books.example/base/next?p=2', '/', '/v/books/next?p=2'],
    ['a relative Location resolves against the path that was asked for', 'chapter-2', '/book/chapter-1', '/v/books/book/chapter-2'],
    ['a Location elsewhere goes to the leaving page, never raw', 'https://login.other.example/', '/', `/leaving?to=${encodeURIComponent('https://login.other.example/')}`],
  ])('%s', (_name, location, upstreamPath, expected) => {
    expect(filtered({ location }, { upstreamPath }).location).toBe(expected);
  });

  it('without a matched contract the response is left alone (nothing to scope it to; forward never answers without one)', () => {
    const response = vendorResponse({ 'set-cookie': ['sid=1'], 'strict-transport-security': 'max-age=1' });
    createStage().respond?.(makeContext(), response);
    expect(response.headers).toEqual({ 'set-cookie': ['sid=1'], 'strict-transport-security': 'max-age=1' });
  });
});
