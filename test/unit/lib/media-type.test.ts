import { describe, expect, it } from 'vitest';
import { readMediaType } from '../../../src/lib/media-type.ts';

describe('readMediaType', () => {
  it.each([
    ['application/json', 'application/json', 'a plain type'],
    ['Application/JSON; charset=UTF-8', 'application/json', 'case and parameters do not change the type'],
    ['application/x-www-form-urlencoded;charset=utf-8', 'application/x-www-form-urlencoded', 'parameters without a space'],
    [undefined, '', 'no header at all'],
    ['', '', 'an empty header'],
    ['json', undefined, 'no subtype: not a media type'],
    ['application/ json', undefined, 'a space inside the type'],
    ['text/plain/extra', undefined, 'two slashes'],
  ])('%s -> %s (%s)', (header, expected, _reason) => {
    expect(readMediaType(header)).toBe(expected);
  });
});
