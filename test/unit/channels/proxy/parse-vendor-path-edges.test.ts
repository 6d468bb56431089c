import { describe, expect, it } from 'vitest';
import { parseVendorPath } from '../../../../src/channels/proxy/parse-vendor-path.ts';

describe('parseVendorPath at its edges', () => {
  it.each([
    ['an encoded slash without dot segments is forwarded as it came (vendors may use %2F in ids)', '/v/ebooks/a%2Fb', { ok: true, vendor: 'ebooks', rest: '/a%2Fb', query: '' }],
    ['an encoded empty segment is not a dot segment', '/v/ebooks/a%2F%2Fb', { ok: true, vendor: 'ebooks', rest: '/a%2F%2Fb', query: '' }],
    ['a single dot behind an encoded slash is refused (./ rewrites the path)', '/v/ebooks/x%2F.%2Fy', { ok: false, reason: 'bad-target', vendor: 'ebooks' }],
    ['dots encoded three times over are refused (they are decoded three times)', '/v/ebooks/%25252e%25252e/x', { ok: false, reason: 'bad-target', vendor: 'ebooks' }],
    ['a single dot encoded three times over is refused', '/v/ebooks/%25252e/x', { ok: false, reason: 'bad-target', vendor: 'ebooks' }],
    ['a vendor id with a dot after it is refused (ids are whole kebab-case words)', '/v/ebooks.evil/x', { ok: false, reason: 'bad-target' }],
    ['a vendor id ending in a hyphen is refused', '/v/ebooks-/x', { ok: false, reason: 'bad-target' }],
  ])('%s', (_name, target, expected) => {
    expect(parseVendorPath(target)).toEqual(expected);
  });
});
