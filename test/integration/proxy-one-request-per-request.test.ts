import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { exchangeRaw } from '../helpers/raw-http.ts';
import { startRawVendor, type RawVendor } from '../helpers/raw-vendor.ts';

/**
 * One request in, one request out: whatever framing a patron's request uses, the vendor (a raw TCP
 * server that frames requests as a plain HTTP/1.1 server does) receives exactly one request for
 * it, under the contract's upstream prefix, or none at all when the gateway refuses it. A body
 * forwarded without framing would be read by the vendor as a second request that skipped the
 * guard, the header allowlist and identity delivery: these tests count requests on the wire.
 */
const PATRON = { patronId: 'p-frame-1', barcode: '27700000551234', birthDate: '1979-03-03' };
const CARD = PATRON.barcode;
// What a smuggled second request would carry: a path outside /api, a forged identity and client IP, the card.
const SMUGGLED = `GET /admin/export?card=${CARD} HTTP/1.1\r\nHost: vendor\r\nX-Patron-Sub: forged-identity\r\nX-Forwarded-For: 203.0.113.66\r\nContent-Length: 0\r\n\r\n`;

let vendor: RawVendor;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  vendor = await startRawVendor();
  const upstream = `${vendor.url}/api`;
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '1111' }],
    contracts: {
      // Scannable bodies only (the default): anything the guard cannot read is refused.
      books: testContract('books', upstream, 'identity: { delivery: headers }\npreset: pseudonymous\nrequest: { onPatronData: block }'),
      // A vendor that takes binary uploads, named in bodyTypes: they stream through, re-framed.
      uploads: testContract('uploads', upstream, 'identity: { delivery: headers }\npreset: pseudonymous\nrequest: { onPatronData: block, bodyTypes: [application/octet-stream, application/json] }'),
    },
  });
  cookie = await gateway.login(PATRON.barcode, '1111');
});
afterAll(async () => {
  await gateway.close();
  await vendor.close();
});

let before = 0;
let byteMarks: number[] = [];
beforeEach(() => {
  before = vendor.requests.length;
  byteMarks = vendor.connections.map((c) => c.bytes.length);
});
/** Every byte the vendor received since the test began. */
const receivedBytes = (): string => vendor.connections.map((c, i) => c.bytes.subarray(byteMarks[i] ?? 0).toString('latin1')).join('');

const chunked = (body: string, extension = ''): string => `${Buffer.byteLength(body).toString(16)}${extension}\r\n${body}\r\n0\r\n\r\n`;
/** A request head; unless it says otherwise, the patron closes after it (the exchange ends when the answer does). */
const head = (method: string, path: string, lines: ReadonlyArray<string>): string =>
  [`${method} ${path} HTTP/1.1`, 'Host: gateway', `Cookie: ${cookie}`, ...lines, ...(lines.some((l) => l.startsWith('Connection:')) ? [] : ['Connection: close']), '', ''].join('\r\n');
/** A request head that keeps the connection open (pipelining). */
const openHead = (method: string, path: string, lines: ReadonlyArray<string>): string => head(method, path, [...lines, 'Connection: keep-alive']);

/**
 * What the vendor received since the test began, checked for everything a smuggled request would
 * carry (with `framedBody`, a body forwarded on purpose may hold such text: only requests count).
 */
function expectNothingSmuggled(framedBody = false): void {
  const received = vendor.requests.slice(before);
  for (const request of received) {
    expect(request.target.startsWith('/api/'), `target ${request.target} stays under the upstream prefix`).toBe(true);
    expect(request.headers['x-patron-sub']).not.toBe('forged-identity');
    expect(request.headers['x-forwarded-for']).toBeUndefined();
  }
  if (framedBody) return;
  const bytes = receivedBytes();
  expect(bytes).not.toContain(CARD);
  expect(bytes).not.toMatch(/^GET \/admin/m);
}

describe('a body of a type the guard cannot read is refused, whatever the method and framing', () => {
  const methods = ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'POST', 'PUT', 'PATCH'];
  const framings = [
    ['chunked', (body: string) => ['Content-Type: application/x-unknown', 'Transfer-Encoding: chunked'], (body: string) => chunked(body)],
    ['Content-Length', (body: string) => ['Content-Type: application/x-unknown', `Content-Length: ${Buffer.byteLength(body)}`], (body: string) => body],
    ['no Content-Type, chunked', (_body: string) => ['Transfer-Encoding: chunked'], (body: string) => chunked(body)],
  ] as const;
  for (const method of methods) {
    for (const [framing, lines, encode] of framings) {
      it(`${method} with a ${framing} body: refused, the vendor receives no request at all (nothing it could read as a second one)`, async () => {
        const { statuses } = await exchangeRaw(gateway.url, [head(method, '/v/books/search', lines(SMUGGLED)) + encode(SMUGGLED)]);
        expect(statuses[0]).toBeGreaterThanOrEqual(400);
        expect(statuses[0]).toBeLessThan(500);
        await vendor.waitForRequests(before + 1, 100);
        expect(vendor.requests.length - before).toBe(0);
        expectNothingSmuggled();
      });
    }
  }
});

describe('a body the vendor accepts is forwarded with framing of its own (one request, the exact body)', () => {
  it.each(['DELETE', 'OPTIONS', 'POST', 'PUT', 'PATCH'])('%s with a chunked binary body arrives as one chunked request with the same bytes', async (method) => {
    const { statuses } = await exchangeRaw(gateway.url, [head(method, '/v/uploads/files/1', ['Content-Type: application/octet-stream', 'Transfer-Encoding: chunked']) + chunked(SMUGGLED.replace(CARD, 'no-card'))]);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(before + 1);
    const received = vendor.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.method).toBe(method);
    expect(received[0]?.body.toString('latin1')).toBe(SMUGGLED.replace(CARD, 'no-card'));
    expectNothingSmuggled(true);
  });

  it.each(['DELETE', 'OPTIONS', 'POST', 'PUT'])('%s with a Content-Length binary body arrives as one request with that length', async (method) => {
    const body = SMUGGLED.replace(CARD, 'no-card');
    const { statuses } = await exchangeRaw(gateway.url, [head(method, '/v/uploads/files/2', ['Content-Type: application/octet-stream', `Content-Length: ${body.length}`]) + body]);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(before + 1);
    const received = vendor.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['content-length']).toBe(String(body.length));
    expect(received[0]?.body.toString('latin1')).toBe(body);
    expectNothingSmuggled(true);
  });

  it.each(['DELETE', 'OPTIONS', 'PATCH'])('%s with a chunked JSON body is read, checked and sent with a Content-Length', async (method) => {
    const body = '{"shelf":"fiction"}';
    const { statuses } = await exchangeRaw(gateway.url, [head(method, '/v/uploads/shelves', ['Content-Type: application/json', 'Transfer-Encoding: chunked']) + chunked(body)]);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(before + 1);
    const received = vendor.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['content-length']).toBe(String(body.length));
    expect(received[0]?.headers['transfer-encoding']).toBeUndefined();
    expect(received[0]?.body.toString()).toBe(body);
  });

  it.each(['GET', 'HEAD', 'TRACE'])('%s with a body of a listed type is refused (a body there has no meaning, and vendors may not frame it)', async (method) => {
    const { statuses } = await exchangeRaw(gateway.url, [head(method, '/v/uploads/files', ['Content-Type: application/json', 'Content-Length: 2']) + '{}']);
    expect(statuses[0]).toBe(400);
    await vendor.waitForRequests(before + 1, 100);
    expect(vendor.requests.length - before).toBe(0);
  });

  it('a GET with Content-Length: 0 is a GET without a body (forwarded as one)', async () => {
    const { statuses } = await exchangeRaw(gateway.url, [head('GET', '/v/books/a', ['Content-Length: 0', 'Connection: close'])]);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(before + 1);
    expect(vendor.requests.slice(before)).toHaveLength(1);
  });
});

describe('framing tricks', () => {
  it('chunk extensions and trailers do not travel (the vendor gets the body, re-framed, and nothing else)', async () => {
    const body = 'plain bytes';
    const raw = `${head('POST', '/v/uploads/files', ['Content-Type: application/octet-stream', 'Transfer-Encoding: chunked', 'Trailer: X-Patron-Sub'])}${body.length.toString(16)};card=${CARD}\r\n${body}\r\n0\r\nX-Patron-Sub: forged-identity\r\nX-Card: ${CARD}\r\n\r\n`;
    const { statuses } = await exchangeRaw(gateway.url, [raw]);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(before + 1);
    const received = vendor.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.body.toString()).toBe(body);
    expect(received[0]?.chunkExtras).toEqual([]);
    expectNothingSmuggled();
    expect(receivedBytes()).not.toContain('forged-identity');
  });

  it.each([
    ['gzip, chunked', ['Transfer-Encoding: gzip, chunked']],
    ['chunked twice', ['Transfer-Encoding: chunked, chunked']],
    ['two Transfer-Encoding headers', ['Transfer-Encoding: gzip', 'Transfer-Encoding: chunked']],
    ['an unknown coding', ['Transfer-Encoding: x-custom, chunked']],
  ])('Transfer-Encoding %s: refused (a transfer-coded body cannot be checked or re-framed faithfully)', async (_name, lines) => {
    const { statuses } = await exchangeRaw(gateway.url, [head('POST', '/v/uploads/files', ['Content-Type: application/octet-stream', ...lines]) + chunked(SMUGGLED)]);
    expect(statuses[0]).toBeGreaterThanOrEqual(400);
    expect(statuses[0]).toBeLessThan(500);
    await vendor.waitForRequests(before + 1, 100);
    expect(vendor.requests.length - before).toBe(0);
  });

  it('a Content-Length with leading zeros reaches the vendor written plainly (no parser can read 010 as 8)', async () => {
    const body = '0123456789';
    const { statuses } = await exchangeRaw(gateway.url, [head('POST', '/v/uploads/files', ['Content-Type: application/octet-stream', 'Content-Length: 010']) + body]);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(before + 1);
    const received = vendor.requests.slice(before);
    expect(received.map((r) => [r.headers['content-length'], r.body.toString()])).toEqual([['10', body]]);
  });

  it('Content-Length and Transfer-Encoding together: refused before anything is forwarded (the classic desync)', async () => {
    const { statuses } = await exchangeRaw(gateway.url, [head('POST', '/v/uploads/files', ['Content-Type: application/octet-stream', 'Content-Length: 4', 'Transfer-Encoding: chunked']) + chunked(SMUGGLED)]);
    expect(statuses[0]).toBe(400);
    await vendor.waitForRequests(before + 1, 100);
    expect(vendor.requests.length - before).toBe(0);
    expectNothingSmuggled();
  });

  it('Expect: 100-continue: the patron is told to go on, the vendor gets one request without the Expect header', async () => {
    const body = '{"q":"dune"}';
    const { text, statuses } = await exchangeRaw(gateway.url, [head('POST', '/v/uploads/search', ['Content-Type: application/json', `Content-Length: ${body.length}`, 'Expect: 100-continue']), body], { gapMs: 50 });
    expect(text).toMatch(/^HTTP\/1\.1 100/);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(before + 1);
    const received = vendor.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['expect']).toBeUndefined();
    expect(received[0]?.body.toString()).toBe(body);
  });

  it('pipelined requests are each checked on their own (the second, carrying the card, is refused; the vendor gets only the first)', async () => {
    const first = '{"q":"dune"}';
    const second = `{"card":"${CARD}"}`;
    const raw = openHead('POST', '/v/books/search', ['Content-Type: application/json', `Content-Length: ${first.length}`]) + first + head('POST', '/v/books/search', ['Content-Type: application/json', `Content-Length: ${second.length}`, 'Connection: close']) + second;
    const { statuses, text } = await exchangeRaw(gateway.url, [raw], { responses: 2 });
    expect(statuses, text).toEqual([200, 403]);
    await vendor.waitForRequests(before + 2, 200);
    expect(vendor.requests.slice(before).map((r) => r.body.toString())).toEqual([first]);
    expectNothingSmuggled();
  });

  it('a refused request with an unread body does not spill into the next request on the patron connection', async () => {
    const raw = openHead('GET', '/v/books/a', ['Content-Type: application/x-unknown', `Content-Length: ${SMUGGLED.length}`]) + SMUGGLED + head('GET', '/v/books/b', ['Connection: close']);
    const { statuses } = await exchangeRaw(gateway.url, [raw]);
    expect(statuses[0]).toBe(400);
    await vendor.waitForRequests(before + 1, 200);
    // The smuggled bytes never became a request, on either side.
    expect(vendor.requests.slice(before).every((r) => r.target === '/api/b')).toBe(true);
    expectNothingSmuggled();
  });
});

describe('an upstream connection that carried a half-sent body is never used again', () => {
  it('a patron leaving mid-upload: the vendor connection is closed, and the next request goes on a fresh one', async () => {
    // Warm the pool: one finished exchange leaves an idle keep-alive connection.
    await exchangeRaw(gateway.url, [head('GET', '/v/uploads/warm', ['Connection: close'])]);
    await vendor.waitForRequests(before + 1);
    const declared = 1000;
    const partial = 'x'.repeat(100);
    await exchangeRaw(gateway.url, [openHead('PUT', '/v/uploads/files/big', ['Content-Type: application/octet-stream', `Content-Length: ${declared}`]), partial], { gapMs: 150, abort: true, idleMs: 300 });
    // The connection that received the partial body is closed by the gateway.
    const carrying = vendor.connections.find((c) => c.bytes.toString('latin1').includes('PUT /api/files/big'));
    expect(carrying).toBeDefined();
    expect(carrying?.closed).toBe(true);
    const next = vendor.requests.length;
    const { statuses } = await exchangeRaw(gateway.url, [head('GET', '/v/uploads/after', ['Connection: close'])]);
    expect(statuses).toEqual([200]);
    await vendor.waitForRequests(next + 1);
    const after = vendor.requests.slice(next);
    expect(after.map((r) => r.target)).toEqual(['/api/after']);
    expect(after[0]?.connection).not.toBe(carrying?.id);
    // Nothing after the partial body on the connection that carried it: no request was glued onto it.
    expect(vendor.requests.slice(next).filter((r) => r.connection === carrying?.id)).toEqual([]);
  });

  it('a patron leaving mid-body of a checked (JSON) body: the vendor receives nothing at all', async () => {
    const connectionsBefore = vendor.connections.map((c) => c.bytes.length).reduce((a, b) => a + b, 0);
    await exchangeRaw(gateway.url, [openHead('POST', '/v/books/search', ['Content-Type: application/json', 'Content-Length: 500']), '{"q":"'], { gapMs: 100, abort: true, idleMs: 300 });
    expect(vendor.connections.map((c) => c.bytes.length).reduce((a, b) => a + b, 0)).toBe(connectionsBefore);
  });
});
