import { describe, expect, it } from 'vitest';
import { parseVendorPath } from '../../../../src/channels/proxy/parse-vendor-path.ts';

describe('parseVendorPath', () => {
  it.each([
    ['/v/ebooks/', { ok: true, vendor: 'ebooks', rest: '/', query: '' }],
    ['/v/ebooks/a/b?x=1&y=2', { ok: true, vendor: 'ebooks', rest: '/a/b', query: 'x=1&y=2' }],
    ['/v/ebooks/a%20b/', { ok: true, vendor: 'ebooks', rest: '/a%20b/', query: '' }],
    ['/v/ebooks', { ok: false, reason: 'needs-slash', vendor: 'ebooks' }],
    ['/v/Ebooks/', { ok: false, reason: 'bad-target' }],
    ['/v/../login', { ok: false, reason: 'bad-target' }],
    ['/v/ebooks/%2e%2e/x', { ok: false, reason: 'bad-target', vendor: 'ebooks' }],
    ['/v/ebooks/%252E%252E/x', { ok: false, reason: 'bad-target', vendor: 'ebooks' }],
    ['/v/ebooks/a%2F..%2Fb', { ok: false, reason: 'bad-target', vendor: 'ebooks' }],
    ['/v/ebooks/%zz', { ok: false, reason: 'bad-target', vendor: 'ebooks' }],
    ['http://evil.example/v/ebooks/', { ok: false, reason: 'bad-target' }],
    ['/login', undefined],
    ['/vx/ebooks/', undefined],
  ])('%s', (target, expected) => {
    expect(parseVendorPath(target)).toEqual(expected);
  });
});
