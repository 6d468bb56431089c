import { GatewayError } from '../../../errors/gateway-error.ts';

/**
 * How a request body is delimited on the patron's connection, and so how the gateway frames it
 * again for the vendor: `length` (Content-Length, kept as is) or `chunked` (re-chunked by Node).
 */
export type BodyFraming = 'length' | 'chunked';

/** Methods whose requests have no body the gateway forwards (RFC 9110: a body there means nothing). */
const BODILESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'TRACE', 'CONNECT']);

/**
 * The framing of a request that carries a body (Node's parser has already refused Content-Length
 * together with Transfer-Encoding, and a Transfer-Encoding that does not end in chunked). A body
 * on GET, HEAD or TRACE is refused: many servers do not read one, so forwarded it would become a
 * second request. Any transfer coding but chunked alone (`gzip, chunked`, `chunked, chunked`)
 * is refused: the body would be neither checkable nor re-framed faithfully.
 */
export function readBodyFraming(method: string | undefined, transferEncoding: string | undefined): BodyFraming {
  if (BODILESS_METHODS.has(method ?? '')) throw new GatewayError('body_not_allowed');
  if (transferEncoding === undefined) return 'length';
  if (transferEncoding.trim().toLowerCase() !== 'chunked') throw new GatewayError('unsupported_body');
  return 'chunked';
}
