import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import { createScrubRequestStage } from '../../../../../src/channels/proxy/scrub-request/scrub-request-stage.ts';
import { createVendorCookieReader } from '../../../../../src/channels/proxy/scrub-request/vendor-cookies.ts';
import { createPatronTagger } from '../../../../../src/policy/pseudonyms/patron-tag.ts';
import { randomBytes } from 'node:crypto';
import { ADULT, compileVendor, makeContext, makeRequest, outcomeOf, runStage, runStageError, type RequestOptions } from '../stage-fixtures.ts';

const redacting = compileVendor('books', { request: 'request: { headers: [x-requested-with], onPatronData: redact }' });
const blocking = compileVendor('strict', { request: 'request: { onPatronData: block }' });
const binary = compileVendor('uploads', { request: 'request: { onPatronData: redact, bodyTypes: [application/octet-stream, application/json] }' });
const jsonOnly = compileVendor('json-api', { request: 'request: { onPatronData: redact, bodyTypes: [application/json, text/*] }' });
const BODY_LIMIT = 64;
const tagger = createPatronTagger(randomBytes(32));
const stage = createScrubRequestStage({ bodyLimit: BODY_LIMIT, vendorCookies: createVendorCookieReader(tagger), tagger });
/** A books cookie value as the browser stores it for ADULT (bound to the patron: see vendor-cookies.ts). */
const forAdult = (value: string): string => `${tagger.tag(ADULT.patronId, 'books')}.${value}`;
/** The same stage with room for larger bodies (multipart, longer JSON). */
const roomy = createScrubRequestStage({ bodyLimit: 4096, vendorCookies: createVendorCookieReader(tagger), tagger });

function scrubContext(contract: CompiledContract, request: RequestOptions & { upstreamPath?: string; query?: string } = {}) {
  return makeContext({ contract, patron: ADULT, req: makeRequest(request), upstreamPath: request.upstreamPath ?? '/', query: request.query ?? '' });
}

describe('scrub request stage: headers', () => {
  it('keeps allowlisted headers and the contract\'s extra ones, drops the rest (the vendor sees only what it needs)', async () => {
    const context = scrubContext(redacting, {
      headers: {
        accept: 'text/html',
        'accept-language': 'es',
        'user-agent': 'Reader/1.0',
        range: 'bytes=0-99',
        'x-requested-with': 'XMLHttpRequest',
        authorization: 'Bearer gateway-secret',
        'x-forwarded-for': '10.0.0.7',
        referer: 'https://library.example/sharing',
        'x-custom': 'whatever',
        host: 'library.example',
      },
    });
    await runStage(stage, context);
    expect(context.headers).toEqual({ accept: 'text/html', 'accept-language': 'es', 'user-agent': 'Reader/1.0', range: 'bytes=0-99', 'x-requested-with': 'XMLHttpRequest' });
  });

  it.each([
    ['only this vendor\'s marked cookies are rebuilt, unmarked (the gateway session never leaves)', `gw_session=secret; vc.books.sid=${forAdult('abc')}; vc.other.sid=zzz; vc.books.lang=${forAdult('es')}`, 'sid=abc; lang=es'],
    ['no marked cookie means no Cookie header at all (nothing to send)', 'gw_session=secret; vc.other.sid=zzz', undefined],
    ['a bare vendor mark with no cookie name is dropped (it names nothing)', `vc.books.=${forAdult('x')}`, undefined],
  ])('%s', async (_name, cookie, expected) => {
    const context = scrubContext(redacting, { headers: { cookie } });
    await runStage(stage, context);
    expect(context.headers['cookie']).toBe(expected);
  });

  it('an Origin header is rewritten to the vendor\'s own origin (the gateway\'s origin is not the vendor\'s business)', async () => {
    const context = scrubContext(redacting, { headers: { origin: 'https://library.example' } });
    await runStage(stage, context);
    expect(context.headers['origin']).toBe('http://127.0.0.1:9999');
  });

  it('no Origin header stays absent (none is invented)', async () => {
    const context = scrubContext(redacting, { headers: {} });
    await runStage(stage, context);
    expect(context.headers).toEqual({});
  });
});

describe('scrub request stage: patron values by location', () => {
  it.each([
    ['a barcode in a path segment is redacted there (the path is part of the URL the vendor logs)', { upstreamPath: `/patrons/${ADULT.barcode}/loans` }, 'path', { upstreamPath: '/patrons/%5Bredacted%5D/loans' }],
    ['a percent-encoded email in the path is found after decoding (encoding hides nothing)', { upstreamPath: '/u/marisol.quintana%40example.org' }, 'path', { upstreamPath: '/u/%5Bredacted%5D' }],
    ['a name in the query is redacted and the query rebuilt (only when something was found)', { query: 'q=Quintana&page=2' }, 'query', { query: 'q=%5Bredacted%5D&page=2' }],
    ['a patron value as a query parameter name is redacted too (names are data as well)', { query: `${ADULT.barcode}=1` }, 'query', { query: '%5Bredacted%5D=1' }],
    ['a phone number in an allowed header is redacted (whatever the punctuation)', { headers: { 'x-requested-with': 'call 555.867.5309' } }, 'header', { header: ['x-requested-with', 'call [redacted]'] }],
    ['a barcode in a vendor cookie is redacted (cookies are headers too)', { headers: { cookie: `vc.books.card=${forAdult(ADULT.barcode ?? '')}` } }, 'header', { header: ['cookie', 'card=[redacted]'] }],
  ] as const)('%s', async (_name, request, location, expected) => {
    const context = scrubContext(redacting, request);
    await runStage(stage, context);
    expect(context.catches).toEqual([{ location, count: 1 }]);
    if ('upstreamPath' in expected) expect(context.upstreamPath).toBe(expected.upstreamPath);
    if ('query' in expected) expect(context.query).toBe(expected.query);
    if ('header' in expected) expect(context.headers[expected.header[0]]).toBe(expected.header[1]);
  });

  it('a clean request is left exactly as it came (raw path and query, nothing caught)', async () => {
    const context = scrubContext(redacting, { upstreamPath: '/books/%7Eshelf//a%2Fb', query: 'q=dune&sort=a%20z' });
    await runStage(stage, context);
    expect(context.upstreamPath).toBe('/books/%7Eshelf//a%2Fb');
    expect(context.query).toBe('q=dune&sort=a%20z');
    expect(context.catches).toEqual([]);
  });

  it('several values in one place are counted each (the metric counts values, not places)', async () => {
    const context = scrubContext(redacting, { query: `a=${ADULT.barcode}&b=${ADULT.email}&c=1988-04-12` });
    await runStage(stage, context);
    expect(context.catches).toEqual([{ location: 'query', count: 3 }]);
  });

  it.each([
    ['in the path', { upstreamPath: `/p/${ADULT.barcode}` }, 'path'],
    ['in the query', { query: `card=${ADULT.barcode}` }, 'query'],
    ['in a header', { headers: { 'user-agent': `Reader ${ADULT.email}` } }, 'header'],
    ['in a JSON body', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '25' }, body: '{"card":"21234000123456"}' }, 'body'],
  ] as const)('a blocking contract refuses a patron value %s (403, counted where it was found)', async (_name, request, location) => {
    const context = scrubContext(blocking, request);
    const error = await runStageError(stage, context);
    expect(error).toMatchObject({ code: 'patron_data_blocked', status: 403, outcome: 'blocked_patron_data', detail: `strict ${location}` });
    expect(context.catches).toEqual([{ location, count: 1 }]);
    // Nothing scrubbed was handed on: the headers stay as the pipeline created them.
    expect(context.headers).toEqual({});
  });
});

describe('scrub request stage: bodies', () => {
  const post = (contentType: string, body: string, extra: Record<string, string> = {}): RequestOptions => ({
    method: 'POST',
    headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), ...extra },
    body,
  });

  it.each([
    ['a JSON string value is redacted and the body rebuilt', 'application/json', '{"q":"Marisol","n":1}', '{"q":"[redacted]","n":1}', 1],
    ['a barcode sent as a JSON number is redacted (a number is still the patron\'s)', 'application/json', '{"card":21234000123456}', '{"card":"[redacted]"}', 1],
    ['a patron value as a JSON key is redacted (keys are data too)', 'application/vnd.api+json', '{"Quintana":[true,null]}', '{"[redacted]":[true,null]}', 1],
    ['a form field is redacted', 'application/x-www-form-urlencoded', 'name=Quintana&x=1', 'name=%5Bredacted%5D&x=1', 1],
    ['a first and last name are two values (each is redacted and counted)', 'application/x-www-form-urlencoded', 'name=Marisol+Quintana', 'name=%5Bredacted%5D+%5Bredacted%5D', 2],
    ['a text body is redacted', 'text/plain; charset=utf-8', 'from 555-867-5309 ok', 'from [redacted] ok', 1],
    ['a clean JSON body is sent byte for byte (not re-serialised)', 'application/json', '{ "q" : "dune" }', '{ "q" : "dune" }', 0],
    ['an empty JSON body passes (nothing to parse)', 'application/json', '  ', '  ', 0],
  ])('%s', async (_name, type, body, expected, count) => {
    const context = scrubContext(redacting, post(type, body));
    await runStage(stage, context);
    expect(context.body?.toString('utf8')).toBe(expected);
    expect(context.headers['content-length']).toBe(String(Buffer.byteLength(expected)));
    expect(context.catches).toEqual(count === 0 ? [] : [{ location: 'body', count }]);
  });

  it.each([
    ['an unlisted binary type is refused by default (the guard cannot read it: fail closed)', 'application/octet-stream'],
    ['an unknown type is refused by default', 'application/x-unknown'],
    ['a multipart type other than form-data is refused (it is not parsed)', 'multipart/mixed; boundary=x'],
  ])('%s', async (_name, type) => {
    const context = scrubContext(redacting, post(type, 'no patron value'));
    expect(await outcomeOf(stage, context)).toBe('unsupported_body');
    expect(context.headers).toEqual({});
  });

  it('a binary type the contract lists streams through unread, with its Content-Length (the contract accepts it unchecked)', async () => {
    const context = scrubContext(binary, post('application/octet-stream', ADULT.barcode ?? ''));
    await runStage(stage, context);
    expect(context.body).toBeUndefined();
    expect(context.req.readableEnded).toBe(false);
    expect(context.headers).toEqual({ 'content-type': 'application/octet-stream', 'content-length': '14' });
  });

  it('a listed binary body\'s length is written plainly (leading zeros dropped: no vendor can read it another way)', async () => {
    const context = scrubContext(binary, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': '010' }, body: '0123456789' });
    await runStage(stage, context);
    expect(context.headers['content-length']).toBe('10');
  });

  it('a chunked binary body of a listed type is sent chunked again (Node frames it; no length is made up)', async () => {
    const context = scrubContext(binary, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }, body: 'abc' });
    await runStage(stage, context);
    expect(context.headers).toEqual({ 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
  });

  it.each([
    ['GET', { 'content-length': '2' }, 'body_not_allowed'],
    ['HEAD', { 'transfer-encoding': 'chunked' }, 'body_not_allowed'],
    ['TRACE', { 'content-length': '2' }, 'body_not_allowed'],
    ['POST', { 'transfer-encoding': 'gzip, chunked' }, 'unsupported_body'],
    ['POST', { 'transfer-encoding': 'chunked, chunked' }, 'unsupported_body'],
    ['DELETE', { 'content-length': '2' }, 'ok'],
    ['OPTIONS', { 'transfer-encoding': ' Chunked ' }, 'ok'],
  ] as const)('%s with %o: %s (a body on a bodiless method, or any transfer coding but chunked, is refused)', async (method, framing, expected) => {
    const context = scrubContext(binary, { method, headers: { 'content-type': 'application/json', ...framing }, body: '{}' });
    expect(await outcomeOf(stage, context)).toBe(expected);
  });

  it('a request without a body sends no Content-Length of the patron\'s (Node frames the vendor\'s request)', async () => {
    const context = scrubContext(redacting, { method: 'POST', headers: { 'content-length': '0', 'content-type': 'application/json' } });
    await runStage(stage, context);
    expect(context.headers).toEqual({ 'content-type': 'application/json' });
  });

  it.each([
    ['malformed JSON is refused (it cannot be checked)', post('application/json', '{"q":'), 'malformed_json'],
    ['a compressed JSON body is refused (it cannot be checked)', post('application/json', '{}', { 'content-encoding': 'gzip' }), 'unsupported_body'],
    ['a body over the limit is refused (413, the rest unread)', post('text/plain', 'x'.repeat(BODY_LIMIT + 1)), 'body_too_large'],
  ])('%s', async (_name, request, code) => {
    expect(await outcomeOf(stage, scrubContext(redacting, request))).toBe(code);
  });

  it.each([
    ['text declared UTF-16', post('text/plain; charset=utf-16le', 'abc'), 'unsupported_body'],
    ['a form declared in another charset', post('application/x-www-form-urlencoded; charset=iso-8859-1', 'a=1'), 'unsupported_body'],
    ['text in UTF-16 bytes without a charset (a NUL beside each character)', { ...post('text/plain', ''), body: Buffer.from(ADULT.barcode ?? '', 'utf16le'), headers: { 'content-type': 'text/plain', 'content-length': '28' } }, 'unsupported_body'],
    ['JSON that is not valid UTF-8', { ...post('application/json', ''), body: Buffer.from([0x22, 0xf0, 0x22]), headers: { 'content-type': 'application/json', 'content-length': '3' } }, 'unsupported_body'],
    ['UTF-16 bytes behind a first charset of utf-8 (a vendor may read the second)', { ...post('text/plain', ''), body: Buffer.from('ab', 'utf16le'), headers: { 'content-type': 'text/plain; charset=utf-8; charset=utf-16le', 'content-length': '4' } }, 'unsupported_body'],
    ['text declared UTF-8 in capitals', post('text/plain; charset=UTF-8', 'abc'), 'ok'],
    ['text declared US-ASCII', post('text/plain; charset=us-ascii', 'abc'), 'ok'],
    ['JSON declared utf8', post('application/json; charset=utf8', '{}'), 'ok'],
  ] as const)('charset: %s -> %s (a vendor decoding other bytes would read what the guard could not)', async (_name, request, expected) => {
    expect(await outcomeOf(stage, scrubContext(redacting, request))).toBe(expected);
  });

  it.each([
    ['a Content-Type that is not a media type', post('not a type', '{}'), 'unsupported_body'],
    ['no Content-Type at all', { method: 'POST', headers: { 'content-length': '2' }, body: '{}' }, 'unsupported_body'],
    ['an unlisted binary type', post('application/octet-stream', 'x'), 'unsupported_body'],
    ['a compressed JSON body', post('application/json', '{}', { 'content-encoding': 'br' }), 'unsupported_body'],
  ] as const)('refusals name the vendor for the operator log: %s', async (_name, request, code) => {
    const error = await runStageError(stage, scrubContext(redacting, request));
    expect({ code: error.code, detail: error.detail }).toEqual({ code, detail: 'books' });
  });

  it.each([
    ['a number whose digits differ but whose value is the card (the vendor\'s parser rounds it the same way)', '{"n":21234000123455.99999999}'],
    ['the same, nested in arrays and objects', '{"a":[{"b":[1,21234000123455.99999999]}]}'],
    ['the same, in one array', '{"b":[1,21234000123455.99999999]}'],
  ])('JSON numbers: %s', async (_name, body) => {
    const context = scrubContext(redacting, post('application/json', body));
    await runStage(stage, context);
    expect(context.catches).toEqual([{ location: 'body', count: 1 }]);
    expect(context.body?.toString()).not.toContain('21234000123455');
    expect(context.body?.toString()).toContain('"[redacted]"');
  });

  it('a JSON body rebuilt for a catch also redacts integers JSON.parse had to round (their digits cannot be checked)', async () => {
    const context = scrubContext(redacting, post('application/json', `{"card":"${ADULT.barcode}","big":123456789012345678901,"n":7,"f":1.5,"z":null}`));
    await runStage(roomy, context);
    expect(JSON.parse(context.body?.toString() ?? '')).toEqual({ card: '[redacted]', big: '[redacted]', n: 7, f: 1.5, z: null });
  });

  it('a body of exactly the limit is accepted (the limit is inclusive)', async () => {
    const context = scrubContext(redacting, post('text/plain', 'x'.repeat(BODY_LIMIT)));
    await runStage(stage, context);
    expect(context.body?.length).toBe(BODY_LIMIT);
  });

  it('a declared length over the limit is refused before reading (a short body does not help)', async () => {
    const request = post('text/plain', 'short');
    const context = scrubContext(redacting, { ...request, headers: { ...request.headers, 'content-length': String(BODY_LIMIT + 1) } });
    expect(await outcomeOf(stage, context)).toBe('body_too_large');
    expect(context.req.readableEnded).toBe(false);
  });

  it('an identity-encoded body is read like an unencoded one (identity is no encoding)', async () => {
    const context = scrubContext(redacting, post('application/json', '{"a":"Marisol"}', { 'content-encoding': 'Identity' }));
    await runStage(stage, context);
    expect(context.catches).toEqual([{ location: 'body', count: 1 }]);
  });

  it.each([
    ['a listed type passes', 'application/json', 'ok'],
    ['a type under a listed wildcard passes', 'text/csv', 'ok'],
    ['an unlisted type is refused (the contract lists what the vendor accepts)', 'application/x-www-form-urlencoded', 'unsupported_body'],
    ['a type that only starts like a listed one is refused (types are matched whole)', 'application/jsonl', 'unsupported_body'],
    ['a type sharing only a first letter with a wildcard is refused (text/* means text/ types)', 'tar/x', 'unsupported_body'],
    ['an unlisted binary type is refused too (unread bodies are still checked against the list)', 'image/png', 'unsupported_body'],
  ])('body types: %s', async (_name, type, expected) => {
    expect(await outcomeOf(stage, scrubContext(jsonOnly, post(type, '{"a":1}')))).toBe(expected);
  });

  it('a request without a body is not checked against body types (there is nothing to refuse)', async () => {
    expect(await outcomeOf(stage, scrubContext(jsonOnly, { method: 'GET', headers: { 'content-type': 'image/png' } }))).toBe('ok');
  });
});

describe('scrub request stage: multipart identity fields', () => {
  const formDelivery = compileVendor('formy', { identity: 'identity: { delivery: form, names: { sub: uid } }', request: 'request: { onPatronData: redact }' });
  const body = '--b\r\nContent-Disposition: form-data; name="sub"\r\n\r\nforged-sub\r\n--b\r\nContent-Disposition: form-data; name="uid"\r\n\r\nforged-uid\r\n--b--\r\n';
  const request = { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(body.length) }, body };

  it.each([
    ['form delivery: the field named for the identity (uid) is dropped, others stay', formDelivery, ['sub']],
    ['jwt delivery: identity does not travel in fields, so no field is dropped', redacting, ['sub', 'uid']],
  ] as const)('%s', async (_name, contract, kept) => {
    const context = scrubContext(contract, request);
    await runStage(roomy, context);
    const names = [...(context.body?.toString() ?? '').matchAll(/name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(kept);
  });

  it('the same contract twice gives the same answer (the field names are worked out once)', async () => {
    for (let i = 0; i < 2; i++) {
      const context = scrubContext(formDelivery, request);
      await runStage(roomy, context);
      expect(context.body?.toString()).not.toContain('forged-uid');
    }
  });
});

describe('scrub request stage: decoding depth', () => {
  it('a value percent-encoded four times is past the promise (two layers after the parser\'s own) and is left as it is', async () => {
    const four = [...(ADULT.barcode ?? '')].map((d) => `%25252532${d}`.replace('32' + d, (48 + Number(d)).toString(16))).join('');
    const context = scrubContext(redacting, { query: `q=${four}` });
    await runStage(stage, context);
    expect(context.catches).toEqual([]);
    expect(context.query).toBe(`q=${four}`);
  });
});

describe('scrub request stage: order', () => {
  it.each([
    ['no contract', { patron: ADULT }],
    ['no guard', { contract: redacting, patron: ADULT, guard: false }],
  ])('running before match and identify (%s) is an internal error', async (_name, options) => {
    const error = await runStageError(stage, makeContext(options));
    expect({ code: error.code, detail: error.detail }).toEqual({ code: 'internal', detail: 'scrub before match' });
  });
});
