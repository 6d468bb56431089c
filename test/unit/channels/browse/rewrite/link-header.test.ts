import { describe, expect, it } from 'vitest';
import { rewriteLinkHeader } from '../../../../../src/channels/browse/rewrite/link-header.ts';
import { rewriteContentSecurityPolicy } from '../../../../../src/channels/browse/rewrite/content-security-policy.ts';
import { createUrlMapper } from '../../../../../src/channels/browse/rewrite/url-mapper.ts';
import type { MapUrl } from '../../../../../src/channels/browse/rewrite/index.ts';
import { demoOptions } from '../../../../helpers/rewrite-fixtures.ts';

const W = 'https://www-vendor-com.proxy.test';
const mapper = () => createUrlMapper(demoOptions(), new Set());

describe('Link header parsing', () => {
  it.each([
    ['an escaped quote inside a quoted parameter does not end it, so its comma does not split', '</a>; title="x\\", y", </b>', `<${W}/a>; title="x\\", y", <${W}/b>`],
    ['a comma inside <...> does not split', '</a,b>; rel=x', `<${W}/a,b>; rel=x`],
    ['an entry without <...> is kept as written', 'garbage, </a>', `garbage, <${W}/a>`],
    ['empty entries are dropped', ' , </a>,', `<${W}/a>`],
    ['a fragment-only target stays as written', '<#x>; rel=self', '<#x>; rel=self'],
    ['a javascript: target is dropped', '<javascript:x>; rel=x, </a>', `<${W}/a>`],
  ])('%s', (_name, value, expected) => {
    expect(rewriteLinkHeader(value, mapper())).toBe(expected);
  });
});

describe('CSP host sources: what mapUrl is asked', () => {
  it.each([
    ['a bare host is asked as https', 'cdn.vendor.com', 'https://cdn.vendor.com/'],
    ['an http host as http', 'http://cdn.vendor.com', 'http://cdn.vendor.com/'],
    ['a ws host as http', 'ws://cdn.vendor.com', 'http://cdn.vendor.com/'],
    ['a wss host as https', 'wss://cdn.vendor.com', 'https://cdn.vendor.com/'],
    ['a port is kept', 'https://cdn.vendor.com:8443', 'https://cdn.vendor.com:8443/'],
    ['a path is not asked', 'https://cdn.vendor.com/js/app.js', 'https://cdn.vendor.com/'],
  ])('%s', (_name, source, asked) => {
    const seen: string[] = [];
    const recording: MapUrl = (absolute) => {
      seen.push(absolute);
      return 'http://mapped.proxy.test:8080/ignored';
    };
    const out = rewriteContentSecurityPolicy(`img-src ${source}`, recording);
    expect(seen).toEqual([asked]);
    expect(out.startsWith('img-src http://mapped.proxy.test:8080')).toBe(true);
  });

  it('a mapped value that is not a URL drops the source', () => {
    expect(rewriteContentSecurityPolicy('img-src cdn.vendor.com', () => 'not a url')).toBe("img-src 'none'");
  });

  it('directive names keep their case; report directives go in any case', () => {
    expect(rewriteContentSecurityPolicy("Default-Src 'self'; REPORT-URI /r; Report-To g", () => undefined)).toBe("Default-Src 'self'");
  });
});
