import { fc, test } from '@fast-check/vitest';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { describe, expect, it } from 'vitest';
import { createCssStage } from '../../../../../src/channels/browse/rewrite/css-rewriter.ts';
import { createHtmlStage } from '../../../../../src/channels/browse/rewrite/html-rewriter.ts';
import { createScriptHostStage } from '../../../../../src/channels/browse/rewrite/script-hosts.ts';
import { createUrlMapper } from '../../../../../src/channels/browse/rewrite/url-mapper.ts';
import type { RewriteOptions } from '../../../../../src/channels/browse/rewrite/index.ts';
import { demoOptions, PROXY_DOMAIN } from '../../../../helpers/rewrite-fixtures.ts';
import { runStage } from './text-stages.ts';

function rewriteHtml(html: string | string[], options: RewriteOptions = demoOptions()): string {
  const mapper = createUrlMapper(options, new Set());
  const stage = createHtmlStage(mapper, () => createScriptHostStage(options.scriptHosts), () => createCssStage(mapper));
  return runStage(stage, typeof html === 'string' ? [html] : html);
}

const W = 'https://www-vendor-com.proxy.test';

describe('HTML attributes', () => {
  it.each([
    ['a tag without attributes streams as written', '<p>x</p>', '<p>x</p>'],
    ['attributes that are not URLs stay byte for byte, quotes and case included', "<DIV Class=a ID='b' data-x=\"/y\">", "<DIV Class=a ID='b' data-x=\"/y\">"],
    ['only the changed attribute is rewritten, the others keep their quoting', "<a class=x href='/a' title=t>", `<a class=x href="${W}/a" title=t>`],
    ['an ampersand in a mapped URL is escaped', '<a href="/s?a=1&amp;b=2">', `<a href="${W}/s?a=1&amp;b=2">`],
    ['a quote in a mapped URL cannot break out of the attribute', '<a href=\'/x"onmouseover=alert(1)\'>', `<a href="${W}/x%22onmouseover=alert(1)">`],
    ['integrity goes when the URL changed', '<script src="/a.js" integrity="sha384-x" crossorigin></script>', `<script src="${W}/a.js" crossorigin></script>`],
    ['integrity stays when no URL changed', '<script src="data:text/javascript," integrity="sha384-x"></script>', '<script src="data:text/javascript," integrity="sha384-x"></script>'],
    ['ping goes always', '<a href="#x" ping="/p">', '<a href="#x">'],
    ['object data is a URL', '<object data="/d.pdf"></object>', `<object data="${W}/d.pdf"></object>`],
    ['data on another element is not a URL', '<div data="/d"></div>', '<div data="/d"></div>'],
    ['html manifest', '<html manifest="/app.appcache">', `<html manifest="${W}/app.appcache">`],
    ['icon (obsolete menu items)', '<menuitem icon="/i.png">', `<menuitem icon="${W}/i.png">`],
    ['cite is a navigation', '<q cite="https://www.youtube.com/x">', `<q cite="https://gateway.test/leaving?to=${encodeURIComponent('https://www.youtube.com/x')}">`],
    ['href outside a/area is a load (a neverProxy host is refused)', '<link href="https://www.youtube.com/s.css">', '<link href="about:blank#blocked">'],
    ['xlink:href on an SVG a is a navigation', '<svg><a xlink:href="https://www.youtube.com/v"></a></svg>', `<svg><a xlink:href="https://gateway.test/leaving?to=${encodeURIComponent('https://www.youtube.com/v')}"></a></svg>`],
    ['xlink:href elsewhere is a load', '<svg><use xlink:href="https://www.youtube.com/s.svg#i"/></svg>', '<svg><use xlink:href="about:blank#blocked"/></svg>'],
    [
      'a changed SVG tag keeps its camelCase attributes as written (their spans are the tokenizer\'s, not the tree builder\'s adjusted names)',
      '<svg viewBox="0 0 1 1" style="background:url(/b.png)"><image preserveAspectRatio=none href="/i.png"/></svg>',
      `<svg viewBox="0 0 1 1" style="background:url(${W}/b.png)"><image preserveAspectRatio=none href="${W}/i.png"/></svg>`,
    ],
    ['area href is a navigation', '<area href="https://www.youtube.com/m">', `<area href="https://gateway.test/leaving?to=${encodeURIComponent('https://www.youtube.com/m')}">`],
    ['imagesrcset on link', '<link rel=preload imagesrcset="/a.jpg 1x">', `<link rel=preload imagesrcset="${W}/a.jpg 1x">`],
    ['integrity goes when only a srcset changed', '<img srcset="/a.jpg 1x" integrity="x">', `<img srcset="${W}/a.jpg 1x">`],
    ['integrity stays when only a style changed (a style is not a fetched resource of the element)', '<link integrity="x" style="background:url(/b.png)">', `<link integrity="x" style="background:url(${W}/b.png)">`],
    ['meta refresh in upper case', '<META HTTP-EQUIV="Refresh" CONTENT="0;URL=/n">', `<META HTTP-EQUIV="Refresh" content="0;URL=${W}/n">`],
    ['meta refresh with nothing to change stays', '<meta http-equiv="refresh" content="0;url=#top">', '<meta http-equiv="refresh" content="0;url=#top">'],
    ['a meta content that is not a refresh is not rewritten', '<meta http-equiv="x-other" content="0;url=/n">', '<meta http-equiv="x-other" content="0;url=/n">'],
    ['srcdoc with nothing to change stays', '<iframe srcdoc="<p>hi</p>">', '<iframe srcdoc="<p>hi</p>">'],
    ['button formaction', '<button formaction="go">', `<button formaction="${W}/library/go">`],
    ['in a changed tag, duplicate attributes (which the browser ignores) are dropped', '<img src="/a.png" src="https://tracker.example/b.png">', `<img src="${W}/a.png">`],
    ['a removed attribute cannot promote its duplicate', '<a href="javascript:x()" href="https://tracker.example/" ping=/p ping="https://tracker.example/p">', '<a>'],
    ['an unchanged tag keeps its duplicates as written (the browser ignores them)', '<p id=a id=b>', '<p id=a id=b>'],
    ['a self-closing changed tag stays self-closing', '<image href="/i.png" />', `<image href="${W}/i.png"/>`],
    ['meta CSP is removed', '<meta http-equiv="Content-Security-Policy" content="default-src *">', ''],
    ['meta CSP report-only is removed', '<meta http-equiv="content-security-policy-report-only" content="x">', ''],
    ['meta referrer is removed', '<meta name="Referrer" content="unsafe-url">', ''],
    ['other meta stays', '<meta name="description" content="https://www.vendor.com">', '<meta name="description" content="https://www.vendor.com">'],
    ['meta refresh without a URL stays', '<meta http-equiv="refresh" content="60">', '<meta http-equiv="refresh" content="60">'],
    ['style attribute without url() stays byte for byte', '<p style="color:red">', '<p style="color:red">'],
    ['srcdoc of something other than an iframe stays', '<div srcdoc="<a href=/x>">', '<div srcdoc="<a href=/x>">'],
    ['a self-closing script does not start script text (in foreign content)', '<svg><script href="/s.js"/></svg><p style="background:url(/b.png)">', `<svg><script href="${W}/s.js"/></svg><p style="background:url(${W}/b.png)">`],
  ])('%s', (_name, html, expected) => {
    expect(rewriteHtml(html)).toBe(expected);
  });

  it('reports refused hosts', () => {
    const options = demoOptions();
    rewriteHtml('<img src="https://tracker.example/p.gif"><script src="//ads.example/a.js"></script><a href="/ok">', options);
    expect(options.blocked).toEqual(['tracker.example', 'ads.example']);
  });

  it('script text is untouched without script hosts, and rewritten with them', () => {
    const html = '<script>var u = "https://api.vendor.com/x";</script>';
    expect(rewriteHtml(html)).toBe(html);
    const withHosts = demoOptions({ scriptHosts: [{ host: 'api.vendor.com', proxied: 'https://api-vendor-com.proxy.test' }] });
    expect(rewriteHtml(html, withHosts)).toBe('<script>var u = "https://api-vendor-com.proxy.test/x";</script>');
  });

  it.each([
    ['no type', '<script>'],
    ['module', '<script type=module>'],
    ['importmap', '<script type="importmap">'],
    ['text/javascript with parameters', '<script type="text/javascript; charset=utf-8">'],
    ['application/json', '<script type="application/json">'],
    ['application/ld+json', '<script type="application/ld+json">'],
    ['JSON in upper case', '<script type=" APPLICATION/JSON ">'],
    ['speculation rules', '<script type="speculationrules">'],
    ['text/jscript', '<script type="text/jscript">'],
  ])('script text of type %s gets the script-host substitution', (_name, open) => {
    const withHosts = demoOptions({ scriptHosts: [{ host: 'api.vendor.com', proxied: 'https://api-vendor-com.proxy.test' }] });
    expect(rewriteHtml(`${open}"api.vendor.com"</script>`, withHosts)).toBe(`${open}"api-vendor-com.proxy.test"</script>`);
  });

  it('a script of a non-script type (a template) is untouched even with script hosts', () => {
    const html = '<script type="text/x-template">"api.vendor.com"</script>';
    const withHosts = demoOptions({ scriptHosts: [{ host: 'api.vendor.com', proxied: 'https://api-vendor-com.proxy.test' }] });
    expect(rewriteHtml(html, withHosts)).toBe(html);
  });

  it('style text split over many pieces is rewritten as one', () => {
    const html = '<style>a{background:url(/img/a.png)}</style><p>after</p>';
    expect(rewriteHtml([...html])).toBe(rewriteHtml(html));
    expect(rewriteHtml(html)).toBe(`<style>a{background:url(${W}/img/a.png)}</style><p>after</p>`);
  });

  it('an unclosed style at the end of the body is still rewritten and flushed', () => {
    expect(rewriteHtml('<style>a{b:url(/x.png)}')).toBe(`<style>a{b:url(${W}/x.png)}`);
  });
});

describe('HTML rewriting: chunking, size and nesting', () => {
  const tags = `<!doctype html><p class=x title='é 😀 &amp; &quot;'>text é 😀</p><a href="/a?b=1&amp;c=2" ping=/p>a</a><img src="https://cdn.vendor.com/i.png" srcset="/s1.png 1x, /s2.png 2x" alt="&lt;"><style>p{background:url(/b.png)}</style><script src="/s.js" integrity="sha384-x"></script><iframe srcdoc="<a href=/in>in</a>"></iframe><!-- <a href=/c> -->`;

  it('tags split across every boundary (pieces of one UTF-16 unit, surrogate pairs cut in two) come out as from one piece', () => {
    const whole = rewriteHtml(tags);
    expect(whole).toContain(`<a href="${W}/a?b=1&amp;c=2">a</a>`);
    expect(whole).toContain('😀');
    expect(rewriteHtml(tags.split(''))).toBe(whole);
  });

  it('a 10 MB attribute value streams through unchanged beside a rewritten one, in one piece or in 64 KB pieces', () => {
    const big = 'v'.repeat(10 * 1024 * 1024);
    const html = `<img title="${big}" src="/a.png"><p>after</p>`;
    const expected = `<img title="${big}" src="${W}/a.png"><p>after</p>`;
    expect(rewriteHtml(html) === expected).toBe(true);
    const pieces: string[] = [];
    for (let i = 0; i < html.length; i += 64 * 1024) pieces.push(html.slice(i, i + 64 * 1024));
    expect(rewriteHtml(pieces) === expected).toBe(true);
  });

  it('a 10 MB URL is mapped like any other', () => {
    const path = `/${'p'.repeat(10 * 1024 * 1024)}`;
    expect(rewriteHtml(`<a href="${path}">x</a>`) === `<a href="${W}${path}">x</a>`).toBe(true);
  });

  it('an iframe srcdoc inside an iframe srcdoc is rewritten at both levels', () => {
    const inner = '<a href=/deep>d</a>';
    const middle = `<iframe srcdoc="${inner.replace(/"/g, '&quot;')}"></iframe><img src=/m.png>`;
    const output = rewriteHtml(`<iframe srcdoc="${middle.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"></iframe>`);
    const outerValue = [...elements(parse(output))].find((e) => e.tagName === 'iframe')!.attrs.find((a) => a.name === 'srcdoc')!.value;
    expect(outerValue).toContain(`<img src="${W}/m.png">`);
    const innerValue = [...elements(parse(outerValue))].find((e) => e.tagName === 'iframe')!.attrs.find((a) => a.name === 'srcdoc')!.value;
    expect(innerValue).toBe(`<a href="${W}/deep">d</a>`);
  });

  it('a mapper that throws fails the push (the body stream errors) instead of passing the tag unrewritten', () => {
    const stage = createHtmlStage(
      {
        map: () => {
          throw new Error('mapper failed');
        },
        setBase: () => undefined,
      },
      () => undefined,
      () => ({ push: (t) => t, end: () => '' }),
    );
    expect(() => stage.push('<p>ok</p><a href=/x>')).toThrow('mapper failed');
  });
});

/** Attributes that load or navigate, per element (what the property below checks in the parsed output). */
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'poster', 'background', 'cite', 'manifest', 'icon'];

type Node = DefaultTreeAdapterMap['node'];
function* elements(node: Node): Generator<DefaultTreeAdapterMap['element']> {
  if ('tagName' in node) yield node;
  if ('content' in node && node.content !== undefined) yield* elements(node.content as Node);
  if ('childNodes' in node) for (const child of node.childNodes) yield* elements(child);
}

const upstream = /(^|\.)(vendor\.com|tracker\.example|youtube\.com)$/;

/** Every URL a parsed document would load or navigate to, resolved as the browser would on the proxied page. */
function loadedUrls(html: string): string[] {
  const document = parse(html);
  let base = `https://www-vendor-com.${PROXY_DOMAIN}/library/search.html`;
  const urls: string[] = [];
  const resolve = (value: string): void => {
    try {
      const url = new URL(value.replace(/[\t\n\r]/g, '').trim(), base);
      urls.push(url.href);
    } catch {
      /* unreadable: the browser cannot follow it either */
    }
  };
  for (const element of elements(document)) {
    for (const attr of element.attrs) {
      const name = attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name;
      if (element.tagName === 'base' && name === 'href') base = new URL(attr.value, base).href;
      if (URL_ATTRIBUTES.includes(name) || name === 'xlink:href' || (name === 'data' && element.tagName === 'object')) resolve(attr.value);
      if (name === 'srcset' || name === 'imagesrcset') for (const candidate of attr.value.split(/,\s+/)) resolve(candidate.trim().split(/\s+/)[0] ?? '');
      // CSS syntax: an unquoted url() with white space inside is a bad-url token, which loads nothing.
      if (name === 'style') for (const m of attr.value.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s"']*)\s*\))/gi)) resolve(m[1] ?? m[2] ?? m[3]!);
      if (name === 'content' && element.attrs.some((a) => a.name === 'http-equiv' && a.value.toLowerCase() === 'refresh')) {
        const target = /url\s*=\s*["']?([^"']*)/i.exec(attr.value)?.[1];
        if (target !== undefined) resolve(target);
      }
    }
  }
  return urls;
}

const hosts = ['www.vendor.com', 'cdn.vendor.com', 'api.vendor.com', 'tracker.example', 'www.youtube.com', 'WWW.VENDOR.COM'];
const url = fc.oneof(
  fc.tuple(fc.constantFrom('https://', 'http://', '//', 'HTTPS://', ' https://', 'https:\\\\', 'ht\ttps://', '&#104;ttps://'), fc.constantFrom(...hosts), fc.constantFrom('/', '/a?b=1&amp;c=2', '/x#y', ''))
    .map(([s, h, p]) => `${s}${h}${p}`),
  fc.constantFrom('/rel', 'rel.png', '../up', '?q', '#frag', 'javascript:x()', 'data:,x', ''),
);
const quote = fc.constantFrom('"', "'", '');
const attribute = fc.tuple(fc.constantFrom(...URL_ATTRIBUTES, 'srcset', 'style', 'xlink:href', 'data', 'title', 'integrity', 'ping'), url, quote).map(([name, value, q]) => {
  const v = q === '' ? value.replace(/[\s"'=<>`]/g, '') || 'x' : value.replace(new RegExp(q, 'g'), '');
  if (name === 'style') return `style=${q}background:url(${v})${q}`;
  if (name === 'srcset') return `srcset=${q}${v} 1x, ${v} 2x${q}`;
  return `${name}=${q}${v}${q}`;
});
const tag = fc.tuple(fc.constantFrom('a', 'img', 'link', 'script', 'iframe', 'form', 'object', 'video', 'source', 'base', 'area', 'input', 'button', 'td', 'svg', 'image', 'use', 'template', 'blockquote', 'meta', 'embed', 'track', 'audio', 'frame'), fc.array(attribute, { maxLength: 4 }))
  .map(([name, attrs]) => (name === 'meta' ? `<meta http-equiv="refresh" content="0; url=${attrs.length > 0 ? 'https://tracker.example/r' : '/r'}">` : `<${name} ${attrs.join(' ')}>`));
const piece = fc.oneof(tag, fc.constantFrom('</a>', '</script>', '</template>', '</svg>', '<!-- c -->', 'text ', '<p>', '</form>', '<style>p{b:url(https://tracker.example/s.png)}</style>'));

describe('property: no upstream URL survives where it would load or navigate', () => {
  test.prop([fc.array(piece, { minLength: 1, maxLength: 25 }), fc.array(fc.nat(), { maxLength: 8 })], { seed: 1306, numRuns: 300 })(
    'every URL in the rewritten document stays on a proxied origin, the gateway, or a harmless scheme',
    (pieces, cuts) => {
      const html = pieces.join('');
      const cutPoints = [...new Set(cuts.map((c) => c % (html.length + 1)))].sort((a, b) => a - b);
      const chunks: string[] = [];
      let start = 0;
      for (const point of cutPoints) {
        chunks.push(html.slice(start, point));
        start = point;
      }
      chunks.push(html.slice(start));
      const output = rewriteHtml(chunks);
      expect(output).toBe(rewriteHtml(html));
      for (const href of loadedUrls(output)) {
        const parsed = new URL(href);
        if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
          expect(parsed.hostname, `${href} in ${output}`).not.toMatch(upstream);
          expect(parsed.hostname.endsWith(`.${PROXY_DOMAIN}`) || parsed.hostname === 'gateway.test', href).toBe(true);
        } else {
          expect(['about:', 'data:', 'javascript:'].includes(parsed.protocol) ? parsed.protocol : href).not.toBe('javascript:');
        }
      }
    },
  );
});
