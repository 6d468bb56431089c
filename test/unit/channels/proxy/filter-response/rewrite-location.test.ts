import { describe, expect, it } from 'vitest';
import { createLocationRewriter } from '../../../../../src/channels/proxy/filter-response/rewrite-location.ts';
import { MAX_DESTINATION_LENGTH } from '../../../../../src/web/leaving/leaving-path.ts';

// Built inside each test (not when the file loads), so what the rewriter precomputes is checked too.
const rewrite = (location: string, requestPath: string): string =>
  createLocationRewriter('v1', { url: 'https://api.vendor.example/base', hosts: ['api.vendor.example', 'CDN.Vendor.Example', '::1', 'FE80::AB'], basePath: '/base' })(location, requestPath);
const atRoot = (location: string, requestPath: string): string => createLocationRewriter('v2', { url: 'http://127.0.0.1:9100', hosts: ['127.0.0.1'], basePath: '' })(location, requestPath);
const leaving = (to: string): string => `/leaving?to=${encodeURIComponent(to)}`;

describe('rewriteLocation: a Location that stays with the vendor comes back into /v/<vendor>/', () => {
  it.each([
    ['an absolute URL under the base, with query and fragment', 'https://api.vendor.example/base/a?b=1#c', '/', '/v/v1/a?b=1#c'],
    ['an absolute path under the base', '/base/next', '/', '/v/v1/next'],
    ['the base itself is the vendor\'s root', 'https://api.vendor.example/base', '/', '/v/v1/'],
    ['another of the contract\'s hosts, same scheme and port', 'https://cdn.vendor.example/base/x', '/', '/v/v1/x'],
    ['a contract host written in capitals matches', 'https://cdn.VENDOR.example/base/y', '/', '/v/v1/y'],
    ['a host in capitals (hosts are case-insensitive)', 'https://API.Vendor.Example/base/x', '/', '/v/v1/x'],
    ['the default port written out is the same port', 'https://api.vendor.example:443/base/x', '/', '/v/v1/x'],
    ['a relative path resolves against the path asked for', 'page-2', '/list/page-1', '/v/v1/list/page-2'],
    ['a query alone keeps the path asked for', '?sort=title', '/list', '/v/v1/list?sort=title'],
    ['dot segments that stay under the base', '/base/a/../b', '/', '/v/v1/b'],
    ['a bracketed IPv6 host in the contract', 'https://[::1]/base/x', '/', '/v/v1/x'],
    ['an IPv6 host with letters, written in capitals in the contract', 'https://[fe80::ab]/base/x', '/', '/v/v1/x'],
  ])('%s', (_name, location, requestPath, expected) => {
    expect(rewrite(location, requestPath)).toBe(expected);
  });

  it('a vendor at the root of its host keeps every path', () => {
    expect(atRoot('http://127.0.0.1:9100/anything/at/all?x=1', '/')).toBe('/v/v2/anything/at/all?x=1');
    expect(atRoot('/', '/a/b')).toBe('/v/v2/');
  });
});

describe('rewriteLocation: a Location that leaves the vendor goes to the leaving page, never raw', () => {
  it.each([
    ['another host', 'https://evil.example/base/a', 'https://evil.example/base/a'],
    ['a scheme-relative URL (//host)', '//evil.example/base/a', 'https://evil.example/base/a'],
    ['a backslash the browser reads as a slash (/\\host)', '/\\evil.example/base', 'https://evil.example/base'],
    ['backslashes all the way (\\\\host)', '\\\\evil.example\\base', 'https://evil.example/base'],
    ['javascript:', 'javascript:alert(document.cookie)', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html,<script>1</script>', 'data:text/html,<script>1</script>'],
    ['another scheme on the vendor\'s own host', 'ftp://api.vendor.example/base/a', 'ftp://api.vendor.example/base/a'],
    ['plain http when the vendor is https (another origin)', 'http://api.vendor.example/base/a', 'http://api.vendor.example/base/a'],
    ['another port on the vendor\'s own host', 'https://api.vendor.example:8443/base/a', 'https://api.vendor.example:8443/base/a'],
    ['credentials in the URL', 'https://user:pw@api.vendor.example/base/a', 'https://user:pw@api.vendor.example/base/a'],
    ['a user name alone in the URL', 'https://user@api.vendor.example/base/a', 'https://user@api.vendor.example/base/a'],
    ['a password alone in the URL', 'https://:pw@api.vendor.example/base/a', 'https://:pw@api.vendor.example/base/a'],
    ['an IPv6 host not in the contract', 'https://[::2]/base/a', 'https://[::2]/base/a'],
    ['a path outside the upstream base', 'https://api.vendor.example/other', 'https://api.vendor.example/other'],
    ['a path that only starts like the base', '/basement/x', 'https://api.vendor.example/basement/x'],
    ['dot segments that climb out of the base', '/base/../admin', 'https://api.vendor.example/admin'],
    ['encoded dot segments that climb out of the base', '/base/%2e%2e/admin', 'https://api.vendor.example/admin'],
    ['a host that only ends like the vendor\'s', 'https://evilapi.vendor.example.attacker.example/base', 'https://evilapi.vendor.example.attacker.example/base'],
    ['a host that only contains a listed one', 'https://api.vendor.example.evil.example/base', 'https://api.vendor.example.evil.example/base'],
  ])('%s', (_name, location, shown) => {
    expect(rewrite(location, '/')).toBe(leaving(shown));
  });

  it('an unparseable Location goes to the leaving page as the vendor wrote it', () => {
    expect(rewrite('http://[bad', '/')).toBe(leaving('http://[bad'));
  });

  it('another port on a vendor at the root of its host is another server', () => {
    expect(atRoot('http://127.0.0.1:9101/x', '/')).toBe(leaving('http://127.0.0.1:9101/x'));
  });

  it('a destination too long to show goes to the leaving page without it', () => {
    const long = `https://evil.example/${'a'.repeat(MAX_DESTINATION_LENGTH)}`;
    expect(rewrite(long, '/')).toBe('/leaving');
    const fits = `https://evil.example/${'a'.repeat(MAX_DESTINATION_LENGTH - 'https://evil.example/'.length)}`;
    expect(rewrite(fits, '/')).toBe(leaving(fits));
  });
});
