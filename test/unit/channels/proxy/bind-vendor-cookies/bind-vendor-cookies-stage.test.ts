import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createBindVendorCookiesStage } from '../../../../../src/channels/proxy/bind-vendor-cookies/bind-vendor-cookies-stage.ts';
import { createPatronTagger } from '../../../../../src/policy/pseudonyms/patron-tag.ts';
import { ADULT, compileVendor, makeContext } from '../stage-fixtures.ts';

const tagger = createPatronTagger(randomBytes(32));
const stage = createBindVendorCookiesStage({ tagger });
const books = compileVendor('books');

function respond(setCookie: string[] | undefined, withPatron = true): IncomingMessage['headers'] {
  const context = makeContext({ contract: books, ...(withPatron ? { patron: ADULT } : {}) });
  const upstream = { headers: { 'content-type': 'application/json', ...(setCookie ? { 'set-cookie': setCookie } : {}) } } as unknown as IncomingMessage;
  stage.respond?.(context, upstream);
  return upstream.headers;
}

describe('bind vendor cookies stage', () => {
  it('every rescoped vendor cookie is stored under the patron\'s tag for this vendor', () => {
    const tag = tagger.tag(ADULT.patronId, 'books');
    expect(respond(['vc.books.a=1; Path=/v/books/; HttpOnly; SameSite=Lax', 'vc.books.b=; Max-Age=0; Path=/v/books/'])['set-cookie']).toEqual([
      `vc.books.a=${tag}.1; Path=/v/books/; HttpOnly; SameSite=Lax`,
      `vc.books.b=${tag}.; Max-Age=0; Path=/v/books/`,
    ]);
  });

  it('a cookie that cannot be bound is dropped; with none left there is no Set-Cookie at all', () => {
    expect(respond(['no-equals-sign'])).not.toHaveProperty('set-cookie');
    expect(respond(['no-equals-sign', 'vc.books.a=1'])['set-cookie']).toEqual([`vc.books.a=${tagger.tag(ADULT.patronId, 'books')}.1`]);
  });

  it('without a patron no vendor cookie is stored (never the case after identify, but never unbound)', () => {
    expect(respond(['vc.books.a=1'], false)).not.toHaveProperty('set-cookie');
  });

  it('a response without cookies is left alone', () => {
    expect(respond(undefined)).toEqual({ 'content-type': 'application/json' });
  });

  it('leaves other headers alone', () => {
    expect(respond(['vc.books.a=1'])['content-type']).toBe('application/json');
  });
});
