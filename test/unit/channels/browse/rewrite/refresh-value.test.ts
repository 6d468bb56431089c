import { describe, expect, it } from 'vitest';
import { rewriteRefreshValue } from '../../../../../src/channels/browse/rewrite/refresh-value.ts';
import { createUrlMapper } from '../../../../../src/channels/browse/rewrite/url-mapper.ts';
import { demoOptions } from '../../../../helpers/rewrite-fixtures.ts';

const W = 'https://www-vendor-com.proxy.test';

describe('meta refresh and Refresh header values', () => {
  it.each([
    ['delay; url=absolute', '0; url=https://www.vendor.com/next', `0; url=${W}/next`],
    ['upper-case URL= with quotes', "30; URL='/expired'", `30; URL='${W}/expired'`],
    ['double quotes', '5;url="next.html"', `5;url="${W}/library/next.html"`],
    ['a script target with no separator keeps only the delay', '3 url=javascript:x', '3'],
    ['a script target with no spaces keeps only the delay', '3;url=javascript:x', '3'],
    ['a script target with no url= keeps only the delay', '3; javascript:x', '3'],
    ['a script target with spaces after url= keeps only the delay', '3;url=  javascript:x', '3'],
    ['a fractional delay', '1.5; url=/x', `1.5; url=${W}/x`],
    ['a script target after a comma and URL= keeps only the delay', '2, URL = javascript:x', '2'],
    ['comma separator', '1, url=/x', `1, url=${W}/x`],
    ['no url= keyword', '2; /bare', `2; ${W}/bare`],
    ['spaces around =', '0; url = /sp', `0; url = ${W}/sp`],
    ['a refused target becomes the blocked page', '0;url=https://tracker.example/r', '0;url=about:blank#blocked'],
    ['a neverProxy target goes through the leaving page', '0; url=https://www.youtube.com/', `0; url=https://gateway.test/leaving?to=${encodeURIComponent('https://www.youtube.com/')}`],
    ['a script target is removed, the delay kept', '3; url=javascript:alert(1)', '3'],
  ])('%s', (_name, value, expected) => {
    expect(rewriteRefreshValue(value, createUrlMapper(demoOptions(), new Set()))).toBe(expected);
  });

  it.each([['a plain delay', '5'], ['a fragment target', '0; url=#top'], ['empty', '']])('nothing to change: %s', (_name, value) => {
    expect(rewriteRefreshValue(value, createUrlMapper(demoOptions(), new Set()))).toBeUndefined();
  });
});
