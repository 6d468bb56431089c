import { describe, expect, it } from 'vitest';
import { rewriteSrcset } from '../../../../../src/channels/browse/rewrite/srcset.ts';
import { createUrlMapper } from '../../../../../src/channels/browse/rewrite/url-mapper.ts';
import { demoOptions } from '../../../../helpers/rewrite-fixtures.ts';

const W = 'https://www-vendor-com.proxy.test';
const C = 'https://cdn-vendor-com.proxy.test';

describe('srcset: every candidate', () => {
  it.each([
    ['one URL without descriptor', 'a.jpg', `${W}/library/a.jpg`],
    ['density descriptors', 'a.jpg 1x, //cdn.vendor.com/b.jpg 2x', `${W}/library/a.jpg 1x, ${C}/b.jpg 2x`],
    ['width descriptors without spaces after commas', '/a.jpg 100w,/b.jpg 200w', `${W}/a.jpg 100w, ${W}/b.jpg 200w`],
    ['a comma inside a URL is part of it', '/w.jpg?a=1,b 100w', `${W}/w.jpg?a=1,b 100w`],
    ['trailing commas end a candidate with no descriptor', '/a.jpg,, /b.jpg 2x', `${W}/a.jpg, ${W}/b.jpg 2x`],
    ['a refused candidate is dropped, the others kept', '/a.jpg 1x, https://tracker.example/t.jpg 2x', `${W}/a.jpg 1x`],
    ['a script URL candidate is dropped', 'javascript:x 1x, /a.jpg 2x', `${W}/a.jpg 2x`],
    ['data: candidates stay beside mapped ones', 'data:image/gif;base64,R0l= 1x, /a.jpg 2x', `data:image/gif;base64,R0l= 1x, ${W}/a.jpg 2x`],
    ['descriptors with parentheses are kept whole', '/a.jpg (max-width: 1px, x) 1x', `${W}/a.jpg (max-width: 1px, x) 1x`],
    ['form feeds and carriage returns separate like spaces', '\f/a.jpg\r1x,\r/b.jpg\f2x', `${W}/a.jpg 1x, ${W}/b.jpg 2x`],
    ['a closing parenthesis without an opening one does not hide the next comma', '/a.jpg 1x), /b.jpg 2x', `${W}/a.jpg 1x), ${W}/b.jpg 2x`],
    ['newlines and tabs separate like spaces', '\n\t/a.jpg\t1x,\n/b.jpg 2x\n', `${W}/a.jpg 1x, ${W}/b.jpg 2x`],
    ['every candidate refused leaves an empty srcset (the browser falls back to src)', 'https://tracker.example/a.jpg', ''],
  ])('%s', (_name, value, expected) => {
    expect(rewriteSrcset(value, createUrlMapper(demoOptions(), new Set()))).toBe(expected);
  });

  it.each([['only data:', 'data:image/gif;base64,R0l= 1x'], ['empty', ''], ['only commas and spaces', ' , ,, ']])('nothing to change (%s) reports no change', (_name, value) => {
    expect(rewriteSrcset(value, createUrlMapper(demoOptions(), new Set()))).toBeUndefined();
  });
});
