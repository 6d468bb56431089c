import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAddressSet, normalizeAddress } from '../lib/ip-address.ts';

/**
 * What an incoming X-Request-Id must look like to be kept: a UUID (Envoy, most load balancers) or
 * 16 to 64 hex digits (nginx's $request_id), with no run of ten or more decimal digits (a library
 * card's number hidden in hex). Anything else (words, a name, a card number, a URL) is replaced, so
 * a client that slips its own header past the load balancer cannot write a patron value into the log.
 * A random id that happens to hold such a run is replaced too: only correlation is lost.
 */
const UUID_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_ID = /^[0-9a-f]{16,64}$/i;
const DIGIT_RUN = /[0-9]{10}/;

function isSafeRequestId(id: string): boolean {
  return (UUID_ID.test(id) || HEX_ID.test(id)) && !DIGIT_RUN.test(id);
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** One id per request: in the response header, in every log line the request writes. */
export interface RequestIds {
  /** Gives the request its id (the trusted proxy's, or a new one), sets the response header, and returns it. */
  assign(req: IncomingMessage, res: ServerResponse): string;
  /** The id assigned to this request, if any. */
  of(req: IncomingMessage): string | undefined;
}

/**
 * Request ids. An incoming `X-Request-Id` is kept only when the connection comes from one of the
 * `trustProxy` addresses and the id matches the safe pattern; otherwise (a client's own header, a
 * malformed one) a random UUID is made. Held in a WeakMap keyed by the request, so nothing outlives it.
 */
export function createRequestIds(options: { readonly trustProxy: ReadonlyArray<string>; readonly generate?: () => string }): RequestIds {
  const trusted = createAddressSet(options.trustProxy);
  const generate = options.generate ?? randomUUID;
  const ids = new WeakMap<IncomingMessage, string>();
  const incoming = (req: IncomingMessage): string | undefined => {
    const header = req.headers[REQUEST_ID_HEADER];
    if (typeof header !== 'string' || !isSafeRequestId(header)) return undefined;
    const peer = req.socket.remoteAddress === undefined ? undefined : normalizeAddress(req.socket.remoteAddress);
    return peer !== undefined && trusted(peer) ? header : undefined;
  };
  return {
    assign(req, res) {
      const id = incoming(req) ?? generate();
      ids.set(req, id);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    of: (req) => ids.get(req),
  };
}
