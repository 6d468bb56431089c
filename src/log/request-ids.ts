import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAddressSet, normalizeAddress } from '../lib/ip-address.ts';

/**
 * What an incoming X-Request-Id must look like to be kept: 16 to 64 letters, digits, dots, colons,
 * hyphens and underscores, with at least one character that is not a digit (a UUID, a load
 * balancer's unique id; never a bare number such as a library card).
 */
const SAFE_REQUEST_ID = /^(?=.*[^0-9])[A-Za-z0-9._:-]{16,64}$/;

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
    if (typeof header !== 'string' || !SAFE_REQUEST_ID.test(header)) return undefined;
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
