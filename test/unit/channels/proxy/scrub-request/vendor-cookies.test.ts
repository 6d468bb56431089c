import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVendorCookieReader } from '../../../../../src/channels/proxy/scrub-request/vendor-cookies.ts';
import { createPatronTagger } from '../../../../../src/policy/pseudonyms/patron-tag.ts';
import { makeRequest } from '../stage-fixtures.ts';

const tagger = createPatronTagger(randomBytes(32));
const read = createVendorCookieReader(tagger);
const A = 'p-a';
const B = 'p-b';
const bound = (patron: string, vendor: string, value: string): string => `${tagger.tag(patron, vendor)}.${value}`;
const cookiesFor = (patron: string, cookie: string): string | undefined => read(makeRequest({ headers: { cookie } }), patron, 'books');

describe('vendor cookie reader', () => {
  it.each([
    ['only this vendor\'s cookies of this patron go, unmarked and untagged, in the order the browser sent them', A, (): string => `gw_session=s; vc.books.sid=${bound(A, 'books', 'abc')}; vc.films.sid=${bound(A, 'films', 'f')}; vc.books.lang=${bound(A, 'books', 'es')}`, 'sid=abc; lang=es'],
    ['another patron\'s cookie (the previous patron on a shared computer) is left out', B, (): string => `vc.books.sid=${bound(A, 'books', 'abc')}`, undefined],
    ['next to this patron\'s own, only the own goes', B, (): string => `vc.books.sid=${bound(A, 'books', 'abc')}; vc.books.pref=${bound(B, 'books', 'dark')}`, 'pref=dark'],
    ['an untagged cookie is left out', A, (): string => 'vc.books.sid=abc', undefined],
    ['a forged tag is left out', A, (): string => 'vc.books.sid=AAAAAAAA.abc', undefined],
    ['this patron\'s tag for another vendor is left out', A, (): string => `vc.books.sid=${bound(A, 'films', 'abc')}`, undefined],
    ['the tag without its dot is left out', A, (): string => `vc.books.sid=${tagger.tag(A, 'books')}abc`, undefined],
    ['the tag alone (no dot) is left out', A, (): string => `vc.books.sid=${tagger.tag(A, 'books')}`, undefined],
    ['an empty value is kept empty', A, (): string => `vc.books.sid=${bound(A, 'books', '')}`, 'sid='],
    ['a value with dots keeps them (only the first tag and dot are removed)', A, (): string => `vc.books.sid=${bound(A, 'books', 'a.b.c')}`, 'sid=a.b.c'],
    ['a bare vendor mark with no cookie name is left out (it names nothing)', A, (): string => `vc.books.=${bound(A, 'books', 'x')}`, undefined],
    ['a vendor whose id starts with this one\'s is another vendor', A, (): string => `vc.booksx.sid=${bound(A, 'books', 'x')}; vc.bookssid=${bound(A, 'books', 'y')}`, undefined],
    ['a name that merely contains the mark is not marked', A, (): string => `x.vc.books.sid=${bound(A, 'books', 'x')}`, undefined],
    ['no cookies at all means no Cookie header', A, (): string => '', undefined],
  ] as const)('%s', (_name, patron, cookie, expected) => {
    expect(cookiesFor(patron, cookie())).toBe(expected);
  });

  it('a request without a Cookie header sends none', () => {
    expect(read(makeRequest({}), A, 'books')).toBeUndefined();
  });

  it('the tag is computed only when this vendor has cookies (the hot path pays nothing otherwise)', () => {
    let calls = 0;
    const counting = createVendorCookieReader({ tag: (p, v) => { calls += 1; return tagger.tag(p, v); } });
    counting(makeRequest({ headers: { cookie: 'gw_session=s; vc.films.a=b' } }), A, 'books');
    expect(calls).toBe(0);
    counting(makeRequest({ headers: { cookie: `vc.books.a=${bound(A, 'books', '1')}; vc.books.b=${bound(A, 'books', '2')}` } }), A, 'books');
    expect(calls).toBe(1);
  });
});
