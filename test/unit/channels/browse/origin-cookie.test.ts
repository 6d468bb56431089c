import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createOriginCookies } from '../../../../src/channels/browse/origin-cookie.ts';
import { createSealedBox } from '../../../../src/channels/browse/sealed-box.ts';

describe('origin cookies', () => {
  const box = createSealedBox(randomBytes(32), 'origin-cookie');
  const cookies = createOriginCookies(box, 10);
  const session = { token: 'sealed-session', noticeVersion: 'v3', consents: ['a'] };

  it('opens on the host it was sealed for, again and again (cached)', () => {
    const value = cookies.seal(session, 'www-a.proxy.org');
    expect(value).not.toContain('sealed-session');
    expect(cookies.open(value, 'www-a.proxy.org')).toEqual(session);
    expect(cookies.open(value, 'www-a.proxy.org')).toEqual(session);
  });

  it('opens nothing on another host, even once opened (and cached) on its own', () => {
    const value = cookies.seal(session, 'www-a.proxy.org');
    cookies.open(value, 'www-a.proxy.org');
    expect(cookies.open(value, 'www-b.proxy.org')).toBeUndefined();
  });

  const bad: Array<[string, string]> = [
    ['not JSON', 'nope'],
    ['a token that is not a string', '{"token":1,"noticeVersion":"v","consents":[]}'],
    ['no notice version', '{"token":"t","consents":[]}'],
    ['consents that are not a list', '{"token":"t","noticeVersion":"v","consents":"a"}'],
  ];
  it.each(bad)('opens nothing when the sealed text is %s', (_why, text) => {
    expect(cookies.open(box.seal(text, 'h'), 'h')).toBeUndefined();
  });

  it('keeps only string consents', () => {
    expect(cookies.open(box.seal('{"token":"t","noticeVersion":"v","consents":["a",2]}', 'h'), 'h')).toEqual({ token: 't', noticeVersion: 'v', consents: ['a'] });
  });
});
