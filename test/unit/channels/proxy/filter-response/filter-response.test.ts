import { describe, expect, it } from 'vitest';
import { rescopeSetCookie } from '../../../../../src/channels/proxy/filter-response/rescope-set-cookie.ts';

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
