import { describe, expect, it } from 'vitest';
import { tagEtag, untagEntityTags } from '../../../src/policy/tagged-etag.ts';

const TAG = 'AbCd-_12';

describe('tagEtag', () => {
  it.each([
    ['a strong tag', '"x1"', `"${TAG}.x1"`],
    ['a weak tag', 'W/"x1"', `W/"${TAG}.x1"`],
    ['surrounding spaces are not part of it', '  "x1" ', `"${TAG}.x1"`],
    ['no quotes: not an entity tag', 'x1', undefined],
    ['a lower-case w/ is not a weak marker', 'w/"x1"', undefined],
    ['two tags are not one', '"a", "b"', undefined],
    ['text before the quotes', 'x"a"', undefined],
  ])('%s', (_name, etag, expected) => {
    expect(tagEtag(etag, TAG)).toBe(expected);
  });
});

describe('untagEntityTags', () => {
  it.each([
    ['this patron\'s tag is removed', `"${TAG}.x1"`, '"x1"'],
    ['weak stays weak', `W/"${TAG}.x1"`, 'W/"x1"'],
    ['only this patron\'s entries of a list are kept', `"${TAG}.a", "other-tg.b", W/"${TAG}.c"`, '"a", W/"c"'],
    ['a list with none of this patron\'s is nothing', '"other-tg.a", "b"', undefined],
    ['a tag the gateway never gave (no patron tag) is nothing', '"x1"', undefined],
    ['a tag only beginning with the patron\'s (no dot) is nothing', `"${TAG}x1"`, undefined],
    ['* stays * (it names no entity)', ' * ', '*'],
    ['a malformed list is nothing', `"${TAG}.a" "${TAG}.b"`, undefined],
    ['a malformed tail is nothing', `"${TAG}.a", junk`, undefined],
    ['spaces around commas are fine', `"${TAG}.a" ,"${TAG}.b"`, '"a", "b"'],
  ])('%s', (_name, list, expected) => {
    expect(untagEntityTags(list, TAG)).toBe(expected);
  });

  it('without a current patron only * survives', () => {
    expect(untagEntityTags(`"${TAG}.a"`, undefined)).toBeUndefined();
    expect(untagEntityTags('*', undefined)).toBe('*');
    // Not even a tag that happens to spell "undefined".
    expect(untagEntityTags('"undefined.a"', undefined)).toBeUndefined();
  });

  it('is the inverse of tagEtag for the same patron, whatever the vendor\'s tag', () => {
    for (const etag of ['"a"', 'W/"b.c.d"', '""', '"with space"']) expect(untagEntityTags(tagEtag(etag, TAG) ?? '', TAG)).toBe(etag);
  });

  it('a second call starts afresh (no state is kept between calls)', () => {
    expect(untagEntityTags(`"${TAG}.a", "${TAG}.b"`, TAG)).toBe('"a", "b"');
    expect(untagEntityTags(`"${TAG}.c"`, TAG)).toBe('"c"');
  });
});
