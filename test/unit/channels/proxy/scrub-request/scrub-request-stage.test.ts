import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import { createScrubRequestStage } from '../../../../../src/channels/proxy/scrub-request/scrub-request-stage.ts';
import { createPatronTagger } from '../../../../../src/policy/pseudonyms/patron-tag.ts';
import { ADULT, compileVendor, makeContext, makeRequest, outcomeOf, runStage, runStageError, type RequestOptions } from '../stage-fixtures.ts';

const redacting = compileVendor('books', { request: 'request: { headers: [x-requested-with], onPatronData: redact }' });
const blocking = compileVendor('strict', { request: 'request: { onPatronData: block }' });
const jsonOnly = compileVendor('json-api', { request: 'request: { onPatronData: redact, bodyTypes: [application/json, text/*] }' });
const BODY_LIMIT = 64;
const stage = createScrubRequestStage({ bodyLimit: BODY_LIMIT, tagger: createPatronTagger(Buffer.alloc(32, 9)) });

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
    ['only this vendor\'s marked cookies are rebuilt, unmarked (the gateway session never leaves)', 'gw_session=secret; vc.books.sid=abc; vc.other.sid=zzz; vc.books.lang=es', 'sid=abc; lang=es'],
    ['no marked cookie means no Cookie header at all (nothing to send)', 'gw_session=secret; vc.other.sid=zzz', undefined],
    ['a bare vendor mark with no cookie name is dropped (it names nothing)', 'vc.books.=x', undefined],
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
    ['a barcode in a vendor cookie is redacted (cookies are headers too)', { headers: { cookie: `vc.books.card=${ADULT.barcode}` } }, 'header', { header: ['cookie', 'card=[redacted]'] }],
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

  it('a body of another kind streams through unread (no patron value hides in it plainly)', async () => {
    const context = scrubContext(redacting, post('application/octet-stream', ADULT.barcode ?? ''));
    await runStage(stage, context);
    expect(context.body).toBeUndefined();
    expect(context.req.readableEnded).toBe(false);
  });

  it.each([
    ['malformed JSON is refused (it cannot be checked)', post('application/json', '{"q":'), 'malformed_json'],
    ['a compressed JSON body is refused (it cannot be checked)', post('application/json', '{}', { 'content-encoding': 'gzip' }), 'unsupported_body'],
    ['a body over the limit is refused (413, the rest unread)', post('text/plain', 'x'.repeat(BODY_LIMIT + 1)), 'body_too_large'],
  ])('%s', async (_name, request, code) => {
    expect(await outcomeOf(stage, scrubContext(redacting, request))).toBe(code);
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

describe('scrub request stage: order', () => {
  it.each([
    ['no contract', { patron: ADULT }],
    ['no guard', { contract: redacting, patron: ADULT, guard: false }],
  ])('running before match and identify (%s) is an internal error', async (_name, options) => {
    expect(await outcomeOf(stage, makeContext(options))).toBe('internal');
  });
});
