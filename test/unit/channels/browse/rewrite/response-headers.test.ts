import { describe, expect, it } from 'vitest';
import { rewriteResponseHeaders, type ResponseHeaders } from '../../../../../src/channels/browse/rewrite/index.ts';
import { rewriteCookieDomain } from '../../../../../src/channels/browse/rewrite/response-headers.ts';
import { rewriteContentSecurityPolicy } from '../../../../../src/channels/browse/rewrite/content-security-policy.ts';
import { demoMapUrl, demoOptions } from '../../../../helpers/rewrite-fixtures.ts';

const W = 'https://www-vendor-com.proxy.test';
const cookieDomainFor = (domain: string): string | undefined => (domain === 'vendor.com' ? 'www-vendor-com.proxy.test' : undefined);

function rewrite(headers: ResponseHeaders, overrides = {}): { headers: ResponseHeaders; blocked: string[] } {
  const options = demoOptions(overrides);
  rewriteResponseHeaders(headers, { ...options, cookieDomainFor });
  return { headers, blocked: options.blocked };
}

describe('response headers', () => {
  it.each([
    ['an absolute Location', { location: 'https://www.vendor.com/next' }, { location: `${W}/next` }],
    ['a relative Location resolves against the document URL', { location: 'login?x=1' }, { location: `${W}/library/login?x=1` }],
    ['a Location to a neverProxy host goes through the leaving page', { location: 'https://www.youtube.com/' }, { location: 'https://gateway.test/leaving?to=https%3A%2F%2Fwww.youtube.com%2F' }],
    ['a Location to a refused host is removed', { location: 'https://tracker.example/r' }, {}],
    ['a javascript: Location is removed', { location: 'javascript:alert(1)' }, {}],
    ['a fragment Location stays', { location: '#x' }, { location: '#x' }],
    ['Content-Location', { 'content-location': '/doc.json' }, { 'content-location': `${W}/doc.json` }],
    ['a refused Content-Location is removed', { 'content-location': 'https://tracker.example/' }, {}],
    ['Refresh', { refresh: '0; url=/x' }, { refresh: `0; url=${W}/x` }],
    ['a Refresh without URL stays', { refresh: '5' }, { refresh: '5' }],
    ['Link: each target, refused ones dropped, commas in quotes kept', { link: '</a.css>; rel=preload; as=style, <https://tracker.example/t.js>; rel=preload, <//cdn.vendor.com/f.woff2>; rel="preload, font"' }, { link: `<${W}/a.css>; rel=preload; as=style, <https://cdn-vendor-com.proxy.test/f.woff2>; rel="preload, font"` }],
    ['Link given as several lines', { link: ['</a>; rel=next', '</b>; rel=prev'] }, { link: `<${W}/a>; rel=next, <${W}/b>; rel=prev` }],
    ['Link with only refused targets is removed', { link: '<https://tracker.example/>; rel=preconnect' }, {}],
    ['Access-Control-Allow-Origin: an upstream origin becomes its proxied origin', { 'access-control-allow-origin': 'https://www.vendor.com' }, { 'access-control-allow-origin': W }],
    ['Access-Control-Allow-Origin: * stays', { 'access-control-allow-origin': '*' }, { 'access-control-allow-origin': '*' }],
    ['Access-Control-Allow-Origin: null stays', { 'access-control-allow-origin': 'null' }, { 'access-control-allow-origin': 'null' }],
    ['Access-Control-Allow-Origin: a refused origin is removed', { 'access-control-allow-origin': 'https://tracker.example' }, {}],
    ['Access-Control-Allow-Origin: garbage is removed', { 'access-control-allow-origin': 'not an origin' }, {}],
    ['report-only CSP is removed', { 'content-security-policy-report-only': "default-src 'self'; report-uri https://r.example" }, {}],
    ['a rewritten body loses its length, digests and ranges', { 'content-type': 'text/html', 'content-length': '10', 'content-md5': 'x', digest: 'x', 'content-digest': 'x', 'repr-digest': 'x', 'accept-ranges': 'bytes' }, { 'content-type': 'text/html' }],
    ['an untouched body keeps its length', { 'content-type': 'image/png', 'content-length': '10', 'accept-ranges': 'bytes' }, { 'content-type': 'image/png', 'content-length': '10', 'accept-ranges': 'bytes' }],
    ['a body that cannot be decoded keeps its length (it is not rewritten)', { 'content-type': 'text/html', 'content-encoding': 'zstd', 'content-length': '10' }, { 'content-type': 'text/html', 'content-encoding': 'zstd', 'content-length': '10' }],
    ['other headers stay', { 'cache-control': 'no-store', etag: '"x"' }, { 'cache-control': 'no-store', etag: '"x"' }],
  ] as const)('%s', (_name, input, expected) => {
    expect(rewrite({ ...input } as ResponseHeaders).headers).toEqual(expected);
  });

  it('headers given as lists (as node:http may give repeated ones) use their first value', () => {
    const { headers } = rewrite({ location: ['/a', '/b'], 'content-location': ['/c'], refresh: ['0; url=/d'], 'access-control-allow-origin': ['https://cdn.vendor.com'], 'content-type': ['text/css'], 'content-length': '5' } as ResponseHeaders);
    expect(headers).toEqual({ location: `${W}/a`, 'content-location': `${W}/c`, refresh: `0; url=${W}/d`, 'access-control-allow-origin': 'https://cdn-vendor-com.proxy.test', 'content-type': ['text/css'] });
  });

  it('a compressed rewritable body loses its length too (it is re-encoded)', () => {
    expect(rewrite({ 'content-type': 'text/html', 'content-encoding': 'br', 'content-length': '9' }).headers).toEqual({ 'content-type': 'text/html', 'content-encoding': 'br' });
  });

  it('Access-Control-Allow-Origin with spaces around is read', () => {
    expect(rewrite({ 'access-control-allow-origin': ' https://api.vendor.com ' }).headers).toEqual({ 'access-control-allow-origin': 'https://api-vendor-com.proxy.test' });
  });

  it('reports refused hosts from Location and Access-Control-Allow-Origin', () => {
    expect(rewrite({ location: 'https://tracker.example/r', 'access-control-allow-origin': 'https://cors.example' }).blocked).toEqual(['tracker.example', 'cors.example']);
  });

  it('Set-Cookie: Domain through cookieDomainFor, everything else kept', () => {
    const { headers } = rewrite({ 'set-cookie': ['sid=1; Domain=.vendor.com; Path=/; Secure; HttpOnly; SameSite=None', 'pref=2; domain=other.example; Secure', 'host=3; Path=/a'] });
    expect(headers['set-cookie']).toEqual(['sid=1; Domain=www-vendor-com.proxy.test; Path=/; Secure; HttpOnly; SameSite=None', 'pref=2; Secure', 'host=3; Path=/a']);
  });

  it('Set-Cookie given as one string becomes a list', () => {
    expect(rewrite({ 'set-cookie': 'a=1; DOMAIN = VENDOR.COM ' }).headers['set-cookie']).toEqual(['a=1; Domain=www-vendor-com.proxy.test']);
  });

  it('a cookie value containing "domain=" is not an attribute', () => {
    expect(rewriteCookieDomain('q=domain=vendor.com; Secure', cookieDomainFor)).toBe('q=domain=vendor.com; Secure');
  });

  it('the vendor CSP is rewritten in place, one policy or several', () => {
    const policy = "default-src 'self' cdn.vendor.com; report-uri https://r.vendor.com/csp";
    expect(rewrite({ 'content-security-policy': policy }).headers['content-security-policy']).toBe("default-src 'self' https://cdn-vendor-com.proxy.test");
    expect(rewrite({ 'content-security-policy': [policy, 'img-src *'] }).headers['content-security-policy']).toEqual(["default-src 'self' https://cdn-vendor-com.proxy.test", 'img-src *']);
  });
});

describe('the vendor Content-Security-Policy on proxied origins', () => {
  it.each([
    ['host sources become proxied origins', "script-src 'self' https://cdn.vendor.com api.vendor.com:443", "script-src 'self' https://cdn-vendor-com.proxy.test https://api-vendor-com.proxy.test"],
    ['a path is kept', 'script-src https://cdn.vendor.com/js/', 'script-src https://cdn-vendor-com.proxy.test/js/'],
    ['keywords, nonces, hashes and schemes stay', "script-src 'nonce-abc' 'sha256-x' 'strict-dynamic' https: data: blob: *", "script-src 'nonce-abc' 'sha256-x' 'strict-dynamic' https: data: blob: *"],
    ['a wildcard host is dropped', "img-src 'self' *.vendor.com", "img-src 'self'"],
    ['a wildcard port is dropped', 'img-src cdn.vendor.com:*', "img-src 'none'"],
    ['a refused host is dropped, an emptied directive becomes none', 'connect-src https://tracker.example', "connect-src 'none'"],
    ['report-uri and report-to go', "default-src 'self'; report-uri /csp; report-to grp", "default-src 'self'"],
    ['directives without sources stay', "upgrade-insecure-requests; default-src 'self'", "upgrade-insecure-requests; default-src 'self'"],
    ['empty directives and extra semicolons disappear', " ; default-src 'self' ;; ", "default-src 'self'"],
    ['an unreadable host is dropped', 'img-src https://[bad', "img-src 'none'"],
    ['an http host source maps like https', 'img-src http://cdn.vendor.com', 'img-src https://cdn-vendor-com.proxy.test'],
  ])('%s', (_name, policy, expected) => {
    expect(rewriteContentSecurityPolicy(policy, demoMapUrl)).toBe(expected);
  });
});
