import { describe, expect, it } from 'vitest';
import { makePrivate, varyOnCookie } from '../../../../../src/channels/proxy/filter-response/private-caching.ts';

describe('makePrivate', () => {
  it.each([
    ['nothing said: private', undefined, 'private'],
    ['public is replaced', 'public', 'private'],
    ['PUBLIC in capitals too (directives are case-insensitive)', 'PUBLIC, Max-Age=60', 'private, max-age=60'],
    ['no-store is kept', 'no-store, no-cache', 'private, no-store, no-cache'],
    ['s-maxage and proxy-revalidate go', 's-maxage=600, proxy-revalidate', 'private'],
    ['a private with fields is one plain private', 'private="set-cookie, x-id", max-age=5', 'private, max-age=5'],
    ['a quoted value keeps its text', 'no-cache="set-cookie, x"', 'private, no-cache="set-cookie, x"'],
    ['spaces around = and commas', 'max-age = 60 ,  must-revalidate', 'private, max-age=60, must-revalidate'],
    ['garbage after a good directive is not carried on', 'max-age=1, =oops, no-store', 'private, max-age=1'],
  ])('%s', (_name, value, expected) => {
    expect(makePrivate(value)).toBe(expected);
  });

  it('a second call starts afresh (no state kept between calls)', () => {
    expect(makePrivate('max-age=1, no-store')).toBe('private, max-age=1, no-store');
    expect(makePrivate('no-cache')).toBe('private, no-cache');
  });
});

describe('varyOnCookie', () => {
  it.each([
    ['nothing said: Cookie', undefined, 'Cookie'],
    ['blank: Cookie', '  ', 'Cookie'],
    ['Cookie is added to a list', 'Accept-Encoding, Accept-Language', 'Accept-Encoding, Accept-Language, Cookie'],
    ['Cookie already there (any case) is not doubled', 'Accept, COOKIE', 'Accept, COOKIE'],
    ['Cookie first in the list', 'cookie', 'cookie'],
    ['* already varies on everything', ' * ', ' * '],
    ['a name that only contains cookie is not Cookie', 'X-Cookie-Policy', 'X-Cookie-Policy, Cookie'],
    ['Set-Cookie is not Cookie', 'Set-Cookie', 'Set-Cookie, Cookie'],
  ])('%s', (_name, value, expected) => {
    expect(varyOnCookie(value)).toBe(expected);
  });
});
