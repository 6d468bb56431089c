import { describe, expect, it } from 'vitest';
import { buildVendorCsp, stripReporting, VENDOR_SANDBOX } from '../../../../../src/channels/proxy/filter-response/vendor-csp.ts';

describe('buildVendorCsp', () => {
  it('is the sandbox (without allow-same-origin) and fetch directives limited to the vendor\'s space', () => {
    expect(buildVendorCsp('https://library.example', 'books')).toBe(
      [
        VENDOR_SANDBOX,
        'default-src https://library.example/v/books/',
        "style-src https://library.example/v/books/ 'unsafe-inline'",
        'img-src https://library.example/v/books/ data: blob:',
        'font-src https://library.example/v/books/ data:',
        'media-src https://library.example/v/books/ data: blob:',
        "object-src 'none'",
        'form-action https://library.example/v/books/',
        'base-uri https://library.example/v/books/',
        "frame-ancestors 'self'",
      ].join('; '),
    );
    expect(VENDOR_SANDBOX).toMatch(/^sandbox /);
    expect(VENDOR_SANDBOX).not.toContain('allow-same-origin');
    expect(VENDOR_SANDBOX).not.toContain('allow-top-navigation');
  });
});

describe('stripReporting', () => {
  it.each([
    ['a policy without reporting is kept, tidied', " default-src 'self' ;img-src *", "default-src 'self'; img-src *"],
    ['report-uri goes', "default-src 'self'; report-uri https://c.example/", "default-src 'self'"],
    ['report-to goes, in any case', "Report-To g; default-src 'self'", "default-src 'self'"],
    ['a directive only starting like report-uri is not reporting', "report-urix a; default-src 'self'", "report-urix a; default-src 'self'"],
    ['a bare report-uri (no value) goes too', "report-uri; img-src 'none'", "img-src 'none'"],
    ['each policy of a list is stripped', "a 1; report-uri x, b 2; report-to y", 'a 1, b 2'],
    ['a policy that only reported disappears from the list', "report-uri x, b 2", 'b 2'],
    ['nothing but reporting leaves nothing', 'report-uri x; report-to y', undefined],
    ['an empty policy leaves nothing', ' ; ', undefined],
  ])('%s', (_name, policy, expected) => {
    expect(stripReporting(policy)).toBe(expected);
  });
});
