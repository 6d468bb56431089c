import { describe, expect, it } from 'vitest';
import { unescapeJsonText } from '../../../../../src/channels/proxy/scrub-request/unescape-json-text.ts';

describe('unescapeJsonText', () => {
  it.each([
    ['text without a backslash is returned as it is', '{"a":"b"}', '{"a":"b"}'],
    ['\\u escapes, either case of hex', '"\\u0032\\u004A\\u004a"', '"2JJ"'],
    ['surrogate pairs become one character', '"\\ud835\\udfce"', '"\u{1D7CE}"'],
    ['the short escapes', '"\\t\\n\\r\\b\\f\\/\\"\\\\"', '"\t\n\r\b\f/"\\"'],
    ['an escaped backslash before u stays a backslash (left to right, as a parser reads)', '"\\\\u0032"', '"\\u0032"'],
    ['an unknown escape is left as it is', '"\\x"', '"\\x"'],
    ['a short \\u escape is left as it is', '"\\u12"', '"\\u12"'],
  ])('%s', (_name, input, expected) => {
    expect(unescapeJsonText(input)).toBe(expected);
  });
});
