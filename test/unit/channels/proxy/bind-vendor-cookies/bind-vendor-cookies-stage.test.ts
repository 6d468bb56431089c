import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createBindVendorCookiesStage } from '../../../../../src/channels/proxy/bind-vendor-cookies/bind-vendor-cookies-stage.ts';
import { createPatronTagger } from '../../../../../src/policy/pseudonyms/patron-tag.ts';
import { ADULT, compileVendor, makeContext, makeRequest } from '../stage-fixtures.ts';

const tagger = createPatronTagger(randomBytes(32));
const stage = createBindVendorCookiesStage({ tagger, secureCookies: false });
const books = compileVendor('books');
const TAG = tagger.tag(ADULT.patronId, 'books');

function respond(setCookie: string[] | undefined, options: { withPatron?: boolean; cookie?: string; secure?: boolean } = {}): IncomingMessage['headers'] {
  const req = makeRequest({ headers: options.cookie !== undefined ? { cookie: options.cookie } : {} });
  const context = makeContext({ req, contract: books, ...((options.withPatron ?? true) ? { patron: ADULT } : {}) });
  const upstream = { headers: { 'content-type': 'application/json', ...(setCookie ? { 'set-cookie': setCookie } : {}) } } as unknown as IncomingMessage;
  (options.secure ? createBindVendorCookiesStage({ tagger, secureCookies: true }) : stage).respond?.(context, upstream);
  return upstream.headers;
}

describe('bind vendor cookies stage', () => {
  it('every rescoped vendor cookie is stored under the patron\'s tag for this vendor', () => {
    expect(respond(['vc.books.a=1; Path=/v/books/; HttpOnly; SameSite=Lax', 'vc.books.b=; Max-Age=0; Path=/v/books/'])['set-cookie']).toEqual([
      `vc.books.a=${TAG}.1; Path=/v/books/; HttpOnly; SameSite=Lax`,
      `vc.books.b=${TAG}.; Max-Age=0; Path=/v/books/`,
    ]);
  });

  it('a cookie that cannot be bound is dropped; with none left there is no Set-Cookie at all', () => {
    expect(respond(['no-equals-sign'])).not.toHaveProperty('set-cookie');
    expect(respond(['no-equals-sign', 'vc.books.a=1'])['set-cookie']).toEqual([`vc.books.a=${TAG}.1`]);
  });

  it('without a patron no vendor cookie is stored (never the case after identify, but never unbound)', () => {
    expect(respond(['vc.books.a=1'], { withPatron: false })).not.toHaveProperty('set-cookie');
  });

  it('a response without cookies, to a request without foreign ones, is left alone', () => {
    expect(respond(undefined, { cookie: `gw_session=s; vc.books.mine=${TAG}.1; vc.films.x=1` })).toEqual({ 'content-type': 'application/json' });
  });

  it.each([
    ['another patron\'s cookie', `vc.books.sid=${tagger.tag('p-other', 'books')}.x`, 'vc.books.sid'],
    ['an untagged cookie', 'vc.books.sid=x', 'vc.books.sid'],
    ['a forged tag', 'vc.books.sid=AAAAAAAA.x', 'vc.books.sid'],
    ['this patron\'s tag without its dot', `vc.books.sid=${TAG}x`, 'vc.books.sid'],
    ['a bare vendor mark', 'vc.books.=x', 'vc.books.'],
  ])('%s of this vendor is expired in the browser at the vendor\'s path', (_name, cookie, name) => {
    expect(respond(undefined, { cookie })['set-cookie']).toEqual([`${name}=; Max-Age=0; Path=/v/books/; HttpOnly; SameSite=Lax`]);
  });

  it('expiries come first, so a cookie of the same name the vendor sets now (for this patron) wins; own and other vendors\' cookies are left alone', () => {
    const cookie = `vc.books.sid=${tagger.tag('p-other', 'books')}.old; vc.books.mine=${TAG}.1; vc.films.sid=x; gw_session=s`;
    expect(respond(['vc.books.sid=new; Path=/v/books/'], { cookie })['set-cookie']).toEqual(['vc.books.sid=; Max-Age=0; Path=/v/books/; HttpOnly; SameSite=Lax', `vc.books.sid=${TAG}.new; Path=/v/books/`]);
  });

  it('the expiry is Secure on an https gateway', () => {
    expect(respond(undefined, { cookie: 'vc.books.sid=x', secure: true })['set-cookie']).toEqual(['vc.books.sid=; Max-Age=0; Path=/v/books/; HttpOnly; Secure; SameSite=Lax']);
  });

  it('a foreign name no Set-Cookie can carry is skipped, the rest still expired', () => {
    expect(respond(undefined, { cookie: 'vc.books.a\u00e9=x; vc.books.b=y' })['set-cookie']).toEqual(['vc.books.b=; Max-Age=0; Path=/v/books/; HttpOnly; SameSite=Lax']);
  });

  it('is named as the pipeline lists it (README, index.ts)', () => {
    expect(createBindVendorCookiesStage({ tagger, secureCookies: false }).name).toBe('bind vendor cookies');
  });

  it('leaves other headers alone', () => {
    expect(respond(['vc.books.a=1'])['content-type']).toBe('application/json');
  });
});
