import { describe, expect, it } from 'vitest';
import { resolveSafeNext } from '../../../src/sessions/safe-next.ts';

const ORIGIN = 'https://gateway.library.test';

describe('resolveSafeNext', () => {
  it.each([
    ['/v/ebooks/shelf?x=1', '/v/ebooks/shelf?x=1', 'a path with a query inside the gateway is kept'],
    ['/', '/', 'home is home'],
    ['/me/sharing', '/me/sharing', 'a gateway page is kept'],
    ['/v/ebooks/a/../b', '/v/ebooks/b', 'dot segments are resolved the way the browser will'],
    ['/v/ebooks/shelf#top', '/v/ebooks/shelf', 'a fragment is dropped (the browser keeps its own)'],
    ['/search?q=%2F%2Fevil.example', '/search?q=%2F%2Fevil.example', 'slashes inside the query are data, not a host'],
    ['/a%2Fb', '/a%2Fb', 'an encoded slash after the first segment is a path'],
    ['/\u00e9t\u00e9', '/%C3%A9t%C3%A9', 'non-ASCII is percent-encoded as the browser would'],
    ['/%252541', '/%252541', 'three layers of encoding are looked through and kept (the depth is inclusive)'],
    ['/\uD800x', '/%EF%BF%BDx', 'a lone surrogate becomes U+FFFD, as in the browser'],
  ])('%j -> %j (%s)', (next, expected) => {
    expect(resolveSafeNext(next, ORIGIN)).toBe(expected);
  });

  it.each([
    ['https://evil.example/', 'an absolute URL elsewhere'],
    [`${ORIGIN}/me/sharing`, 'an absolute URL even to the gateway (only paths are accepted)'],
    ['//evil.example', 'scheme-relative: another host'],
    ['///evil.example', 'three slashes: another host'],
    ['/\\evil.example', 'slash-backslash: browsers read \\ as /'],
    ['\\\\evil.example', 'two backslashes'],
    ['/.//evil.example', '/./ then / resolves to //evil.example'],
    ['/..//evil.example', '/../ then / resolves to //evil.example'],
    ['/./..//evil.example', 'dot segments stacked'],
    ['/%2e//evil.example', 'an encoded dot segment is a dot segment to the URL parser'],
    ['/%2E%2E//evil.example', 'an encoded double-dot segment'],
    ['/.%2e//evil.example', 'half-encoded double dot'],
    ['/./\\evil.example', 'a dot segment then a backslash'],
    ['/%2f%2fevil.example', 'encoded slashes at the start decode to //'],
    ['/%252f%252fevil.example', 'double-encoded slashes'],
    ['/%25252f%25252fevil.example', 'triple-encoded slashes'],
    ['%2f%2fevil.example', 'no leading slash at all'],
    ['/%5cevil.example', 'an encoded backslash'],
    ['/%5C%5Cevil.example', 'encoded backslashes, upper case'],
    ['javascript:alert(1)', 'a script URL'],
    ['data:text/html,x', 'a data URL'],
    ['/\t/evil.example', 'a tab inside (URL parsers drop it: //evil.example)'],
    ['/\n/evil.example', 'a newline inside'],
    ['/\r/evil.example', 'a carriage return inside'],
    ['/.\t//evil.example', 'a tab inside a dot segment'],
    ['\t//evil.example', 'a leading tab'],
    [' //evil.example', 'a leading space'],
    ['/\u0000/x', 'a NUL'],
    ['/\u007f/x', 'a DEL'],
    ['/%09/evil.example', 'an encoded tab'],
    ['/%0a/evil.example', 'an encoded newline'],
    ['/%00', 'an encoded NUL'],
    ['/%E0%A4%A', 'a broken percent-encoding'],
    ['/%25E0%25A4%25A', 'a broken percent-encoding one layer down'],
    ['/%2525252f%2525252fevil', 'deeper than the decoding depth'],
    ['/%25252541', 'a harmless path encoded deeper than the decoding depth (it cannot be checked)'],
    ['', 'empty'],
    [undefined, 'missing'],
    [['/a', '/b'], 'a repeated parameter'],
    [42, 'not a string'],
    [`/${'a'.repeat(2048)}`, 'longer than 2048 characters'],
  ] as Array<[unknown, string]>)('%j -> / (%s)', (next) => {
    expect(resolveSafeNext(next, ORIGIN)).toBe('/');
  });

  it('accepts a target of exactly 2048 characters (the limit is inclusive)', () => {
    const path = `/${'a'.repeat(2047)}`;
    expect(resolveSafeNext(path, ORIGIN)).toBe(path);
  });

  it('compares origins, not prefixes: a public origin with a port is not matched by another port', () => {
    expect(resolveSafeNext('/x', 'http://127.0.0.1:8080')).toBe('/x');
    expect(resolveSafeNext('http://127.0.0.1:9090/x', 'http://127.0.0.1:8080')).toBe('/');
  });
});
