import { describe, expect, it } from 'vitest';
import { bindRescopedCookie, rescopeSetCookie } from '../../../../../src/channels/proxy/filter-response/rescope-set-cookie.ts';

describe('rescopeSetCookie: a vendor cookie is kept for this vendor only', () => {
  it.each([
    ['Domain, Path, Secure and SameSite=None are replaced: the vendor\'s path, HttpOnly, Lax', 'sid=abc; Domain=vendor.example; Path=/; Secure; SameSite=None', false, 'vc.v1.sid=abc; Path=/v/v1/; HttpOnly; SameSite=Lax'],
    ['Max-Age and Expires are kept; Secure on an https gateway', 'sid=abc; Max-Age=60; Expires=Wed, 01 Jan 2031 00:00:00 GMT', true, 'vc.v1.sid=abc; Max-Age=60; Path=/v/v1/; Expires=Wed, 01 Jan 2031 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax'],
    ['Max-Age=0 (deletion) is kept', 'sid=; Max-Age=0', false, 'vc.v1.sid=; Max-Age=0; Path=/v/v1/; HttpOnly; SameSite=Lax'],
    ['a vendor cannot set a gateway cookie: its name gets the vendor mark', 'gw_session=x; Path=/', false, 'vc.v1.gw_session=x; Path=/v/v1/; HttpOnly; SameSite=Lax'],
    ['a __Host- name gets the mark too (and so is no __Host- cookie)', '__Host-x=1; Path=/; Secure', false, 'vc.v1.__Host-x=1; Path=/v/v1/; HttpOnly; SameSite=Lax'],
    ['Partitioned, Priority and unknown attributes are dropped', 'a=1; Partitioned; Priority=High; Foo=bar', false, 'vc.v1.a=1; Path=/v/v1/; HttpOnly; SameSite=Lax'],
  ])('%s', (_name, header, secure, expected) => {
    expect(rescopeSetCookie(header, 'v1', secure)).toBe(expected);
  });

  it.each([
    ['no name', '=novalue'],
    ['a space in the name', 'bad name=1'],
    ['nothing', ''],
    ['no equals sign', 'nocolon'],
    ['a space in the value', 'a=b c'],
    ['a control character in the value', 'a=b\u0001c'],
    ['a non-ASCII name', 'caf\u00e9=1'],
  ])('a malformed cookie (%s) is dropped, never passed raw', (_name, header) => {
    expect(rescopeSetCookie(header, 'v1', false)).toBeUndefined();
  });
});

describe('bindRescopedCookie: the stored value starts with the patron tag', () => {
  it.each([
    ['the tag and a dot go before the value', 'vc.v1.sid=abc; Path=/v/v1/; HttpOnly; SameSite=Lax', 'vc.v1.sid=TAGTAG12.abc; Path=/v/v1/; HttpOnly; SameSite=Lax'],
    ['an empty value becomes the tag and a dot', 'vc.v1.sid=; Max-Age=0; Path=/v/v1/', 'vc.v1.sid=TAGTAG12.; Max-Age=0; Path=/v/v1/'],
    ['only the first equals sign splits name and value', 'vc.v1.a=b=c; Path=/v/v1/', 'vc.v1.a=TAGTAG12.b=c; Path=/v/v1/'],
    ['a one-character name is a name', 'x=1', 'x=TAGTAG12.1'],
  ])('%s', (_name, rescoped, expected) => {
    expect(bindRescopedCookie(rescoped, 'TAGTAG12')).toBe(expected);
  });

  it.each([
    ['no equals sign', 'vc.v1.sid'],
    ['nothing before the equals sign', '=abc'],
  ])('a cookie with %s cannot be bound, so it is dropped', (_name, rescoped) => {
    expect(bindRescopedCookie(rescoped, 'TAGTAG12')).toBeUndefined();
  });
});
