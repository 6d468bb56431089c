import type { IncomingMessage } from 'node:http';
import { clientKeyOf, createAddressSet, normalizeAddress } from '../lib/ip-address.ts';

/**
 * The key a sign-in attempt's client is counted under. The peer address of the connection, unless
 * that peer is one of the proxies named in the `trustProxy` setting: then X-Forwarded-For is read
 * from the right (each proxy appends the address it saw), skipping trusted proxies, and the first
 * address that is not one is the client. What a client writes into X-Forwarded-For itself is only
 * ever to the left of that, so it is never believed. IPv6 clients count per /64.
 */
export type ClientAddressReader = (req: IncomingMessage) => string;

export function createClientAddressReader(trustProxy: ReadonlyArray<string>): ClientAddressReader {
  const trusted = createAddressSet(trustProxy);
  return (req) => {
    let client = normalizeAddress(req.socket.remoteAddress ?? '');
    if (!client) return 'unknown';
    const forwarded = req.headers['x-forwarded-for'];
    if (trusted(client) && forwarded !== undefined) {
      const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',');
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = normalizeAddress(hops[i] ?? '');
        // A hop no trusted proxy could have written: stop at the last address a trusted proxy gave.
        if (!hop) break;
        client = hop;
        if (!trusted(hop)) break;
      }
    }
    return clientKeyOf(client);
  };
}
