import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createFilterResponseStage, VENDOR_DOCUMENT_CSP } from '../../../../../src/channels/proxy/filter-response/filter-response-stage.ts';
import { compileVendor, makeContext } from '../stage-fixtures.ts';

const books = compileVendor('books', { upstream: 'upstream: { url: "https://api.books.example/base", hosts: [api.books.example, cdn.books.example] }' });
const stage = createFilterResponseStage({ secureCookies: true });

/** The vendor's response as http-proxy hands it over: a real IncomingMessage with parsed headers. */
function vendorResponse(headers: IncomingMessage['headers']): IncomingMessage {
  const response = new IncomingMessage(new Socket());
  response.statusCode = 200;
  response.headers = { ...headers };
  return response;
}

function filtered(headers: IncomingMessage['headers'], contract = books): IncomingMessage['headers'] {
  const response = vendorResponse(headers);
  stage.respond?.(makeContext({ contract }), response);
  return response.headers;
}

describe('filter response stage', () => {
  it('vendor cookies are rescoped under the vendor mark and path; unusable ones are dropped', () => {
    expect(filtered({ 'set-cookie': ['sid=abc; Domain=books.example; Path=/', 'bad name=1'] })['set-cookie']).toEqual(['vc.books.sid=abc; Path=/v/books/; HttpOnly; Secure; SameSite=Lax']);
  });

  it('a response whose cookies are all unusable sets none (no empty Set-Cookie)', () => {
    expect(filtered({ 'set-cookie': ['=x', 'bad name=1'] })).not.toHaveProperty('set-cookie');
  });

  it.each([
    ['a Location on the vendor\'s upstream comes back under /v/ (the patron stays on the gateway)', 'https://api.books.example/base/next?p=2', '/v/books/next?p=2'],
    ['a Location on another of the vendor\'s hosts is rewritten too', 'https://cdn.books.example/base/file', '/v/books/file'],
    ['a Location elsewhere is left as it is (the gateway does not proxy other sites)', 'https://login.other.example/', 'https://login.other.example/'],
  ])('%s', (_name, location, expected) => {
    expect(filtered({ location }).location).toBe(expected);
  });

  it('every response gets no-referrer and nosniff, and loses HSTS and Clear-Site-Data (the gateway\'s origin is not the vendor\'s to set)', () => {
    const headers = filtered({ 'content-type': 'application/json', 'strict-transport-security': 'max-age=63072000', 'clear-site-data': '"cookies"', 'cache-control': 'no-store' });
    expect(headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' });
  });

  it.each([
    ['an HTML page is sandboxed (it could read the gateway\'s pages otherwise)', 'text/html; charset=utf-8', true],
    ['an SVG image is sandboxed (SVG can run script)', 'image/svg+xml', true],
    ['XML is sandboxed (it can be rendered as a document)', 'application/xml', true],
    ['XHTML in any letter case is sandboxed (types are case-insensitive)', 'Application/XHTML+XML', true],
    ['a response without a type is sandboxed (a browser may sniff it as HTML)', undefined, true],
    ['JSON is not sandboxed (a browser does not run it as a document)', 'application/json', false],
    ['a PNG is not sandboxed', 'image/png', false],
  ])('%s', (_name, type, sandboxed) => {
    const headers = filtered(type === undefined ? {} : { 'content-type': type });
    expect(headers['content-security-policy']).toBe(sandboxed ? VENDOR_DOCUMENT_CSP : undefined);
  });

  it('a vendor\'s own CSP is kept and the sandbox added to it (both apply)', () => {
    expect(filtered({ 'content-type': 'text/html', 'content-security-policy': "default-src 'self'" })['content-security-policy']).toBe(`default-src 'self', ${VENDOR_DOCUMENT_CSP}`);
  });

  it('without a matched contract the response is left alone (nothing to scope it to)', () => {
    const response = vendorResponse({ 'set-cookie': ['sid=1'], 'strict-transport-security': 'max-age=1' });
    stage.respond?.(makeContext(), response);
    expect(response.headers).toEqual({ 'set-cookie': ['sid=1'], 'strict-transport-security': 'max-age=1' });
  });
});
