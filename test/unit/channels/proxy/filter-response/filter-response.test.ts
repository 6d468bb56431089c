import { describe, expect, it } from 'vitest';
import { rescopeSetCookie } from '../../../../../src/channels/proxy/filter-response/rescope-set-cookie.ts';
import { rewriteLocation } from '../../../../../src/channels/proxy/filter-response/rewrite-location.ts';

describe('rescopeSetCookie', () => {
  it.each([
    ['sid=abc; Domain=vendor.example; Path=/; Secure; SameSite=None', false, 'vc.v1.sid=abc; Path=/v/v1/; HttpOnly; SameSite=Lax'],
    ['sid=abc; Max-Age=60; Expires=Wed, 01 Jan 2031 00:00:00 GMT', true, 'vc.v1.sid=abc; Max-Age=60; Path=/v/v1/; Expires=Wed, 01 Jan 2031 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax'],
    ['=novalue', false, undefined],
    ['bad name=1', false, undefined],
    ['', false, undefined],
  ])('%j (secure %s)', (header, secure, expected) => {
    expect(rescopeSetCookie(header, 'v1', secure)).toBe(expected);
  });
});

describe('rewriteLocation', () => {
  const options = { vendorId: 'v1', upstreamUrl: 'https://api.vendor.example/base', hosts: ['api.vendor.example', 'cdn.vendor.example'] };
  it.each([
    ['https://api.vendor.example/base/a?b=1#c', '/v/v1/a?b=1#c'],
    ['/base/next', '/v/v1/next'],
    ['https://cdn.vendor.example/base/x', '/v/v1/x'],
    ['https://api.vendor.example/other', 'https://api.vendor.example/other'],
    ['https://evil.example/base/a', 'https://evil.example/base/a'],
    ['ftp://api.vendor.example/base/a', 'ftp://api.vendor.example/base/a'],
  ])('%s -> %s', (location, expected) => {
    expect(rewriteLocation(location, options)).toBe(expected);
  });
});
