import { describe, expect, it } from 'vitest';
import { decodeEntities } from '../../../../src/policy/guard/decode-entities.ts';

describe('decodeEntities', () => {
  it.each([
    ['text without & is returned as it is', 'plain 123', 'plain 123'],
    ['decimal references', '&#50;&#49;', '21'],
    ['hexadecimal references, either x', '&#x32;&#X31;', '21'],
    ['references without the closing semicolon (HTML parsers accept them)', '&#50&#49', '21'],
    ['a reference beyond Unicode is left as it is', '&#1114112;', '&#1114112;'],
    ['the largest code point is decoded', '&#x10FFFF;', '\u{10FFFF}'],
    ['named references that spell parts of an e-mail', 'a&commat;b&period;org', 'a@b.org'],
    ['XML named references in any case', '&AMP;&lt;&gt;&quot;&apos;', '&<>"\''],
    ['named separators', '&hyphen;&dash;&lowbar;&sol;&colon;&num;&lpar;&rpar;&comma;&plus;&nbsp;', '--_/:#(),+ '],
    ['an unknown name is left as it is', '&copy; &bogus;', '&copy; &bogus;'],
    ['a lone ampersand is left as it is', 'a & b', 'a & b'],
  ])('%s', (_name, input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});
