import { describe, expect, it } from 'vitest';
import { describeBodyRewrite, supportedCharset } from '../../../../../src/channels/browse/rewrite/body-plan.ts';

const none = { scriptHosts: [], replace: [] };
const withHosts = { scriptHosts: [{ host: 'api.vendor.com', proxied: 'https://api-vendor-com.proxy.test' }], replace: [] };
const withXmlRule = { scriptHosts: [], replace: [{ find: 'a', replace: 'b', types: ['text/xml'] }] };

describe('what happens to a body, from its headers', () => {
  it.each([
    ['HTML is rewritten', 'text/html', undefined, none, { kind: 'rewrite', mediaType: 'text/html', syntax: 'html', charset: undefined, encoding: 'identity' }],
    ['HTML with parameters and odd case', 'Text/HTML; Charset="UTF-8"', 'GZIP', none, { kind: 'rewrite', mediaType: 'text/html', syntax: 'html', charset: 'utf-8', encoding: 'gzip' }],
    ['XHTML is rewritten as HTML', 'application/xhtml+xml', 'br', none, { kind: 'rewrite', mediaType: 'application/xhtml+xml', syntax: 'html', charset: undefined, encoding: 'br' }],
    ['CSS is rewritten', 'text/css; charset=iso-8859-1', 'x-gzip', none, { kind: 'rewrite', mediaType: 'text/css', syntax: 'css', charset: 'windows-1252', encoding: 'gzip' }],
    ['deflate is read', 'text/css', 'deflate', none, { kind: 'rewrite', mediaType: 'text/css', syntax: 'css', charset: undefined, encoding: 'deflate' }],
    ['identity is no encoding', 'text/css', 'identity', none, { kind: 'rewrite', mediaType: 'text/css', syntax: 'css', charset: undefined, encoding: 'identity' }],
    ['JavaScript with script hosts is rewritten', 'application/javascript', undefined, withHosts, { kind: 'rewrite', mediaType: 'application/javascript', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['JSON with script hosts is rewritten', 'application/json', '', withHosts, { kind: 'rewrite', mediaType: 'application/json', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['+json types with script hosts are rewritten', 'application/ld+json', undefined, withHosts, { kind: 'rewrite', mediaType: 'application/ld+json', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['application/x-javascript with script hosts', 'application/x-javascript', undefined, withHosts, { kind: 'rewrite', mediaType: 'application/x-javascript', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['text/ecmascript with script hosts', 'text/ecmascript', undefined, withHosts, { kind: 'rewrite', mediaType: 'text/ecmascript', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['application/ecmascript with script hosts', 'application/ecmascript', undefined, withHosts, { kind: 'rewrite', mediaType: 'application/ecmascript', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['text/javascript with script hosts', 'text/javascript', undefined, withHosts, { kind: 'rewrite', mediaType: 'text/javascript', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['a +json type outside application/ is not JSON', 'text/x+json', undefined, withHosts, { kind: 'untouched' }],
    ['an application/ type that does not end in +json is not JSON', 'application/jsonx', undefined, withHosts, { kind: 'untouched' }],
    ['JavaScript with a find/replace rule for it is rewritten', 'application/javascript', undefined, { scriptHosts: [], replace: [{ find: 'a', replace: 'b' }] }, { kind: 'rewrite', mediaType: 'application/javascript', syntax: 'script', charset: undefined, encoding: 'identity' }],
    ['JavaScript with a rule for other types only is untouched', 'application/javascript', undefined, withXmlRule, { kind: 'untouched' }],
    ['JavaScript without rules is untouched (never guessed)', 'text/javascript', undefined, none, { kind: 'untouched' }],
    ['a type a rule lists is rewritten by the rules', 'text/xml', undefined, withXmlRule, { kind: 'rewrite', mediaType: 'text/xml', syntax: 'text', charset: undefined, encoding: 'identity' }],
    ['a type no rule lists is untouched', 'text/xml', undefined, withHosts, { kind: 'untouched' }],
    ['images are untouched', 'image/png', 'gzip', withHosts, { kind: 'untouched' }],
    ['no Content-Type is untouched', undefined, undefined, none, { kind: 'untouched' }],
    ['a blank Content-Type is untouched', '  ', undefined, none, { kind: 'untouched' }],
    ['a type that is no media type is untouched', 'nonsense', undefined, none, { kind: 'untouched' }],
    ['sloppy parameters still make HTML (browsers read it as HTML too)', 'text/html;;;=', undefined, none, { kind: 'rewrite', mediaType: 'text/html', syntax: 'html', charset: undefined, encoding: 'identity' }],
    ['untouched bodies do not care about their encoding', 'application/pdf', 'zstd', none, { kind: 'untouched' }],
    ['zstd cannot be read', 'text/html', 'zstd', none, { kind: 'unsupported-encoding' }],
    ['stacked codings cannot be read', 'text/html', 'gzip, br', none, { kind: 'unsupported-encoding' }],
    ['Shift_JIS cannot be re-encoded', 'text/html; charset=shift_jis', undefined, none, { kind: 'unsupported-charset' }],
    ['UTF-16 cannot be re-encoded', 'text/css; charset=utf-16', undefined, none, { kind: 'unsupported-charset' }],
    ['an unknown charset label is refused', 'text/html; charset=klingon', undefined, none, { kind: 'unsupported-charset' }],
  ] as const)('%s', (_name, contentType, encoding, options, expected) => {
    expect(describeBodyRewrite(contentType, encoding, options)).toEqual(expected);
  });

  it.each([
    ['utf-8', 'utf-8'],
    ['UTF8', 'utf-8'],
    [' unicode-1-1-utf-8 ', 'utf-8'],
    ['iso-8859-1', 'windows-1252'],
    ['latin1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['windows-1252', 'windows-1252'],
    ['iso-8859-2', undefined],
    ['gbk', undefined],
    ['nonsense', undefined],
  ])('charset label %j -> %s', (label, expected) => {
    expect(supportedCharset(label)).toBe(expected);
  });
});
