import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createCssStage, MAX_CSS_URL, rewriteCssText } from '../../../../../src/channels/browse/rewrite/css-rewriter.ts';
import { createUrlMapper } from '../../../../../src/channels/browse/rewrite/url-mapper.ts';
import { demoOptions } from '../../../../helpers/rewrite-fixtures.ts';
import { cutText, runStage } from './text-stages.ts';

const W = 'https://www-vendor-com.proxy.test';
const C = 'https://cdn-vendor-com.proxy.test';
const mapper = () => createUrlMapper({ ...demoOptions(), baseUrl: 'https://www.vendor.com/css/site.css' }, new Set());

describe('CSS url() and @import', () => {
  it.each([
    ['unquoted url()', 'a{background:url(i.png)}', `a{background:url(${W}/css/i.png)}`],
    ['double-quoted url() with spaces inside the parentheses', 'a{b:url( "/i.png" )}', `a{b:url( "${W}/i.png" )}`],
    ['single-quoted url()', "a{b:url('//cdn.vendor.com/f.woff')}", `a{b:url('${C}/f.woff')}`],
    ['URL() in upper case', 'a{b:URL(x.png)}', `a{b:URL(${W}/css/x.png)}`],
    ['@import with a string', '@import "print.css" print;', `@import "${W}/css/print.css" print;`],
    ["@import with url()", "@import url('https://cdn.vendor.com/t.css');", `@import url('${C}/t.css');`],
    ['a refused host becomes the blocked page', '@import url(https://fonts.tracker.example/css);', '@import url(about:blank#blocked);'],
    ['a fragment reference (SVG paint) stays', 'rect{fill:url(#g)}', 'rect{fill:url(#g)}'],
    ['a data: URL stays', "a{b:url('data:image/png;base64,AAA=')}", "a{b:url('data:image/png;base64,AAA=')}"],
    ['a javascript: URL is blocked', 'a{b:url("javascript:alert(1)")}', 'a{b:url("about:blank#blocked")}'],
    ['several URLs in one declaration', 'a{b:url(a.png),url(b.png)}', `a{b:url(${W}/css/a.png),url(${W}/css/b.png)}`],
    ['CSS hex escapes are decoded before mapping (no hiding a host)', 'a{b:url(https://tr\\61 cker.example/x)}', 'a{b:url(about:blank#blocked)}'],
    ['an escaped backslash is one backslash: `https:\\host` on an https page is a path, as the URL standard reads it', 'a{b:url(https:\\\\www.vendor.com/e)}', `a{b:url(${W}/www.vendor.com/e)}`],
    ['escapes inside a quoted URL are decoded', 'a{b:url("/\\69mg.png")}', `a{b:url("${W}/img.png")}`],
    ['an escaped quote does not end a quoted @import', '@import "/a\\"b.css";', `@import "${W}/a%22b.css";`],
    ['@import with single quotes keeps them', "@import 'p.css';", `@import '${W}/css/p.css';`],
    ['@import of a javascript: URL is blocked', '@import "javascript:x";', '@import "about:blank#blocked";'],
    ['@import of a data: URL stays', '@import "data:text/css,a{}";', '@import "data:text/css,a{}";'],
    ['escape of zero, a surrogate or beyond Unicode is U+FFFD (as CSS decodes it)', 'a{b:url(/a\\0 b\\d800 c\\110000 d)}', `a{b:url(${W}/a%EF%BF%BDb%EF%BF%BDc%EF%BF%BDd)}`],
    ['escapes at the edges of the valid ranges are characters', 'a{b:url(/\\D7FF \\E000 \\10FFFF )}', `a{b:url(${W}/%ED%9F%BF%EE%80%80%F4%8F%BF%BF)}`],
    ['text that is not a URL stays byte for byte', 'a { color: red; content: "url"; }', 'a { color: red; content: "url"; }'],
  ])('%s', (_name, css, expected) => {
    expect(rewriteCssText(css, mapper())).toBe(expected);
    expect(runStage(createCssStage(mapper()), [css])).toBe(expected);
  });

  it('a mapped URL that would end an unquoted url() is escaped', () => {
    const odd = createUrlMapper({ ...demoOptions(), mapUrl: () => 'https://p.test/a b(c)' }, new Set());
    expect(rewriteCssText('a{b:url(x)}', odd)).toBe('a{b:url(https://p.test/a\\20 b\\28 c\\29 )}');
    expect(rewriteCssText('a{b:url("x")}', odd)).toBe('a{b:url("https://p.test/a b(c)")}');
    const quoting = createUrlMapper({ ...demoOptions(), mapUrl: () => `https://p.test/a"b'c\\d` }, new Set());
    expect(rewriteCssText(`a{b:url("x")} @import 'y';`, quoting)).toBe(`a{b:url("https://p.test/a\\22 b\\27 c\\5c d")} @import 'https://p.test/a\\22 b\\27 c\\5c d';`);
  });

  it(`a url() longer than ${MAX_CSS_URL} characters is left as written (bounded holdback)`, () => {
    const long = `/${'a'.repeat(MAX_CSS_URL + 1)}`;
    expect(rewriteCssText(`a{b:url(${long})}`, mapper())).toBe(`a{b:url(${long})}`);
    const justFits = `/${'a'.repeat(MAX_CSS_URL - 1)}`;
    expect(rewriteCssText(`a{b:url(${justFits})}`, mapper())).toBe(`a{b:url(${W}${justFits})}`);
  });

  const sheet = `@import "a.css";\nbody{background:url( '/bg.png' )}\n.x{src:url(//cdn.vendor.com/f.woff2) format("woff2"),url(https://tracker.example/t.woff)}\n/* url(c.png) */ .y{b:url(data:image/png;base64,AAAA)}`;

  it('fed one character at a time, the output equals one pass', () => {
    expect(runStage(createCssStage(mapper()), [...sheet])).toBe(rewriteCssText(sheet, mapper()));
  });

  test.prop([fc.array(fc.nat(), { maxLength: 30 })], { seed: 1303, numRuns: 200 })('cut anywhere, the output equals one pass', (cuts) => {
    expect(runStage(createCssStage(mapper()), cutText(sheet, cuts))).toBe(rewriteCssText(sheet, mapper()));
  });

  it('holds back no more than the longest possible url() between pieces', () => {
    const stage = createCssStage(mapper());
    const filler = 'x'.repeat(100_000);
    const out = stage.push(filler);
    expect(filler.length - out.length).toBeLessThanOrEqual(8 * MAX_CSS_URL + 200);
  });
});
