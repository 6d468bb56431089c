import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHostLabel, encodeHostLabel, MAX_LABEL_LENGTH, splitHost } from '../../../../src/channels/browse/host-labels.ts';

describe('encodeHostLabel', () => {
  const table: Array<[string, string, string | undefined]> = [
    ['dots become hyphens', 'www.vendor.com', 'www-vendor-com'],
    ['a hyphen is doubled so the label stays reversible', 'e-books.vendor.com', 'e--books-vendor-com'],
    ['a port goes into the label after three hyphens', 'api.vendor.com:8443', 'api-vendor-com---p8443'],
    ['upper case is folded (host names are case-insensitive)', 'WWW.Vendor.COM', 'www-vendor-com'],
    ['an IPv4 literal is a plain name', '127.0.0.1', '127-0-0-1'],
    ['a single-label host', 'localhost', 'localhost'],
    ['a wildcard is no host', '*.vendor.com', undefined],
    ['a label starting with a hyphen is no host', '-a.vendor.com', undefined],
    ['a label ending with a hyphen is no host', 'a-.vendor.com', undefined],
    ['two dots in a row are no host', 'a..vendor.com', undefined],
    ['an empty string is no host', '', undefined],
    ['port 0 is no port', 'a.com:0', undefined],
    ['a port above 65535 is no port', 'a.com:65536', undefined],
    ['a port of six digits is refused', 'a.com:123456', undefined],
    ['a scheme is refused', 'https://a.com', undefined],
    ['a label past 63 characters is refused', `${'a'.repeat(30)}.${'b'.repeat(30)}.com`, undefined],
  ];
  it.each(table)('%s: %s -> %s', (_why, host, label) => {
    expect(encodeHostLabel(host)).toBe(label);
  });

  it('a label of exactly 63 characters is allowed', () => {
    const host = `${'a'.repeat(59)}.com`;
    expect(encodeHostLabel(host)).toHaveLength(MAX_LABEL_LENGTH);
  });
});

describe('decodeHostLabel', () => {
  const table: Array<[string, string, string | undefined]> = [
    ['one hyphen is a dot', 'www-vendor-com', 'www.vendor.com'],
    ['two hyphens are one hyphen', 'e--books-vendor-com', 'e-books.vendor.com'],
    ['three hyphens and p mark the port', 'api-vendor-com---p8443', 'api.vendor.com:8443'],
    ['three hyphens elsewhere are no label of ours', 'www---vendor', undefined],
    ['a leading zero in the port is not canonical', 'a-com---p080', undefined],
    ['an empty label', '', undefined],
    ['a label past 63 characters', 'a'.repeat(64), undefined],
    ['a leading hyphen', '-www-vendor', undefined],
    ['a hyphen next to a dot (a hyphen run of 3 without a port)', 'a---b', undefined],
  ];
  it.each(table)('%s: %s -> %s', (_why, label, host) => {
    expect(decodeHostLabel(label)).toBe(host);
  });

  it('decodes every label it encodes back to the same host (property, fixed seed)', () => {
    const name = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
    const host = fc.tuple(fc.array(name, { minLength: 1, maxLength: 4 }), fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined })).map(([labels, port]) => `${labels.join('.')}${port === undefined ? '' : `:${port}`}`);
    fc.assert(
      fc.property(host, (h) => {
        const label = encodeHostLabel(h);
        return label === undefined || decodeHostLabel(label) === h;
      }),
      { seed: 1313, numRuns: 500 },
    );
  });
});

describe('splitHost', () => {
  it('splits a name and a port', () => {
    expect(splitHost('a.b:81')).toEqual({ name: 'a.b', port: 81 });
    expect(splitHost('a.b')).toEqual({ name: 'a.b', port: undefined });
    expect(splitHost('a.b:65535')).toEqual({ name: 'a.b', port: 65_535 });
    expect(splitHost('a.b:1')).toEqual({ name: 'a.b', port: 1 });
    expect(splitHost('a:b:1')).toBeUndefined();
  });
});
