import { describe, expect, it } from 'vitest';
import { readBodyFraming } from '../../../../../src/channels/proxy/scrub-request/body-framing.ts';
import { GatewayError } from '../../../../../src/errors/gateway-error.ts';

const outcome = (method: string | undefined, te: string | undefined): string => {
  try {
    return readBodyFraming(method, te);
  } catch (error) {
    return error instanceof GatewayError ? error.code : String(error);
  }
};

describe('readBodyFraming', () => {
  it.each([
    ['a POST with a Content-Length keeps its length', 'POST', undefined, 'length'],
    ['a PUT sent chunked is chunked again', 'PUT', 'chunked', 'chunked'],
    ['chunked in another case and with spaces is chunked', 'PATCH', ' Chunked ', 'chunked'],
    ['a DELETE may carry a body (re-framed like any other)', 'DELETE', undefined, 'length'],
    ['an OPTIONS may carry a body', 'OPTIONS', 'chunked', 'chunked'],
    ['a GET body is refused (many servers would read it as the next request)', 'GET', undefined, 'body_not_allowed'],
    ['a HEAD body is refused', 'HEAD', 'chunked', 'body_not_allowed'],
    ['a TRACE body is refused', 'TRACE', undefined, 'body_not_allowed'],
    ['a CONNECT body is refused', 'CONNECT', undefined, 'body_not_allowed'],
    ['gzip before chunked is refused (a transfer-coded body cannot be checked)', 'POST', 'gzip, chunked', 'unsupported_body'],
    ['chunked twice is refused', 'POST', 'chunked, chunked', 'unsupported_body'],
    ['no method at all is not a bodiless method (the parser always sets one)', undefined, undefined, 'length'],
  ])('%s', (_name, method, te, expected) => {
    expect(outcome(method, te)).toBe(expected);
  });
});
