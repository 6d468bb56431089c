import { describe, expect, it } from 'vitest';
import { resolveSafeNext } from '../../../src/sessions/safe-next.ts';

const ORIGIN = 'https://gateway.library.test';

describe('resolveSafeNext', () => {
  it.each([
    ['/v/ebooks/shelf?x=1', '/v/ebooks/shelf?x=1'],
    ['/', '/'],
    ['/me/sharing', '/me/sharing'],
    ['https://evil.example/', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/%2f%2fevil.example', '/'],
    ['/%252f%252fevil.example', '/'],
    ['%2f%2fevil.example', '/'],
    ['/%5cevil.example', '/'],
    ['javascript:alert(1)', '/'],
    ['/\t/evil.example', '/'],
    ['/\n/evil.example', '/'],
    ['', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
    ['/%E0%A4%A', '/'],
  ])('%j -> %j', (next, expected) => {
    expect(resolveSafeNext(next, ORIGIN)).toBe(expected);
  });
});
