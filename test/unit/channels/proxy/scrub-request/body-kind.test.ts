import { describe, expect, it } from 'vitest';
import { classifyBody, hasBody, isListedType } from '../../../../../src/channels/proxy/scrub-request/body-kind.ts';

describe('classifyBody', () => {
  it.each([
    ['application/json', 'json'],
    ['application/problem+json', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['multipart/form-data', 'multipart'],
    ['multipart/mixed', 'other'],
    ['text/plain', 'text'],
    ['application/xml', 'text'],
    ['application/atom+xml', 'text'],
    ['application/graphql', 'text'],
    ['application/octet-stream', 'other'],
    ['image/png', 'other'],
    ['', 'other'],
  ])('%s is %s', (type, kind) => {
    expect(classifyBody(type)).toBe(kind);
  });
});

describe('hasBody and isListedType', () => {
  it.each([
    [{ 'content-length': '0' }, false],
    [{ 'content-length': '3' }, true],
    [{ 'transfer-encoding': 'chunked' }, true],
    [{}, false],
  ])('%o carries a body: %s', (headers, expected) => {
    expect(hasBody(headers)).toBe(expected);
  });

  it.each([
    [['image/png'], 'image/png', true],
    [['image/*'], 'image/gif', true],
    [['image/*'], 'imagex/gif', false],
    [['image/png'], 'image/pngx', false],
    [[], 'image/png', false],
  ] as const)('%o lists %s: %s', (listed, type, expected) => {
    expect(isListedType(listed, type)).toBe(expected);
  });
});
