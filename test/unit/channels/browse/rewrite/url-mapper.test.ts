import { describe, expect, it } from 'vitest';
import { BLOCKED_URL } from '../../../../../src/channels/browse/rewrite/index.ts';
import { createUrlMapper } from '../../../../../src/channels/browse/rewrite/url-mapper.ts';
import { demoOptions } from '../../../../helpers/rewrite-fixtures.ts';

describe('mapping one URL as written in a page', () => {
  it.each([
    ['an absolute URL on an allowed host goes to its proxied origin', 'https://www.vendor.com/a?b=1#c', 'navigate', 'https://www-vendor-com.proxy.test/a?b=1#c'],
    ['http upstream URLs map too', 'http://cdn.vendor.com/x.png', 'load', 'https://cdn-vendor-com.proxy.test/x.png'],
    ['a protocol-relative URL takes the document scheme', '//api.vendor.com/v1', 'load', 'https://api-vendor-com.proxy.test/v1'],
    ['a relative path resolves against the document URL', 'next.html', 'navigate', 'https://www-vendor-com.proxy.test/library/next.html'],
    ['a root-relative path resolves against the document origin', '/root', 'navigate', 'https://www-vendor-com.proxy.test/root'],
    ['a query-only URL keeps the document path', '?page=2', 'navigate', 'https://www-vendor-com.proxy.test/library/search.html?page=2'],
    ['surrounding spaces are ignored as browsers do', '  /spaced  ', 'load', 'https://www-vendor-com.proxy.test/spaced'],
    ['tabs and newlines inside are dropped as browsers do', 'https://www.ven\tdor.com/\nx', 'load', 'https://www-vendor-com.proxy.test/x'],
    ['backslashes count as slashes in special URLs', '\\\\cdn.vendor.com\\y', 'load', 'https://cdn-vendor-com.proxy.test/y'],
    ['a neverProxy link goes through the leaving page', 'https://www.youtube.com/v', 'navigate', 'https://gateway.test/leaving?to=https%3A%2F%2Fwww.youtube.com%2Fv'],
    ['a neverProxy load is refused', 'https://www.youtube.com/embed', 'load', BLOCKED_URL],
    ['an unlisted host is refused', 'https://tracker.example/p.gif', 'load', BLOCKED_URL],
    ['an upper-case scheme and host are still upstream', 'HTTPS://CDN.VENDOR.COM/Up', 'load', 'https://cdn-vendor-com.proxy.test/Up'],
  ] as const)('%s', (_name, raw, kind, expected) => {
    const mapper = createUrlMapper(demoOptions(), new Set());
    expect(mapper.map(raw, kind)).toBe(expected);
  });

  it.each([
    ['a fragment stays (it names this document)', '#section'],
    ['an empty URL stays (it names this document)', ''],
    ['data: stays', 'data:image/png;base64,AAAA'],
    ['blob: stays', 'blob:https://www.vendor.com/uuid'],
    ['mailto: stays', 'mailto:help@vendor.com'],
    ['tel: stays', 'tel:+15555550100'],
    ['about: stays', 'about:blank'],
    ['a URL the parser cannot read stays (a browser could not follow it either)', 'https://[broken'],
  ])('%s', (_name, raw) => {
    expect(createUrlMapper(demoOptions(), new Set()).map(raw, 'load')).toBeUndefined();
  });

  it.each([['javascript:void(0)'], ['JavaScript:alert(1)'], [' java\tscript:alert(1)'], ['vbscript:msgbox']])('script URL %j is removed', (raw) => {
    expect(createUrlMapper(demoOptions(), new Set()).map(raw, 'navigate')).toBeNull();
  });

  it('reports the host of each refused URL, and only those', () => {
    const options = demoOptions();
    const mapper = createUrlMapper(options, new Set());
    mapper.map('https://tracker.example:8443/a', 'load');
    mapper.map('https://www.vendor.com/ok', 'load');
    mapper.map('//pixel.example/p', 'load');
    expect(options.blocked).toEqual(['tracker.example:8443', 'pixel.example']);
  });

  it('leaves URLs already on a known proxied origin alone (a find/replace expansion is not mapped twice)', () => {
    const mapper = createUrlMapper(demoOptions(), new Set(['https://www-vendor-com.proxy.test']));
    expect(mapper.map('https://www-vendor-com.proxy.test/sso', 'navigate')).toBeUndefined();
    expect(mapper.map('https://other-vendor.proxy.test/sso', 'navigate')).toBe(BLOCKED_URL);
  });

  it('honours the first base only, for what follows, and maps the base itself', () => {
    const mapper = createUrlMapper(demoOptions(), new Set());
    expect(mapper.map('a.png', 'load')).toBe('https://www-vendor-com.proxy.test/library/a.png');
    expect(mapper.setBase('https://cdn.vendor.com/v2/')).toBe('https://cdn-vendor-com.proxy.test/v2/');
    expect(mapper.map('a.png', 'load')).toBe('https://cdn-vendor-com.proxy.test/v2/a.png');
    expect(mapper.setBase('https://www.vendor.com/ignored/')).toBe('https://www-vendor-com.proxy.test/ignored/');
    expect(mapper.map('b.png', 'load')).toBe('https://cdn-vendor-com.proxy.test/v2/b.png');
  });

  it('a base on a refused host still governs resolution, so relative URLs under it are refused too', () => {
    const options = demoOptions();
    const mapper = createUrlMapper(options, new Set());
    expect(mapper.setBase('https://tracker.example/t/')).toBe(BLOCKED_URL);
    expect(mapper.map('pixel.gif', 'load')).toBe(BLOCKED_URL);
    expect(options.blocked).toEqual(['tracker.example', 'tracker.example']);
  });

  it('a relative base resolves against the document URL', () => {
    const mapper = createUrlMapper(demoOptions(), new Set());
    expect(mapper.setBase('/static/')).toBe('https://www-vendor-com.proxy.test/static/');
    expect(mapper.map('x.js', 'load')).toBe('https://www-vendor-com.proxy.test/static/x.js');
  });

  it('a base that is not http(s) is ignored for resolution', () => {
    const mapper = createUrlMapper(demoOptions(), new Set());
    expect(mapper.setBase('data:text/html,x')).toBeUndefined();
    expect(mapper.map('x.js', 'load')).toBe('https://www-vendor-com.proxy.test/library/x.js');
  });
});
