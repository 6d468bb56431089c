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
    const peer = req.socket.remoteAddress;
    let client = peer === undefined ? undefined : normalizeAddress(peer);
    if (!client) return 'unknown';
    const forwarded = req.headers['x-forwarded-for'];
    if (trusted(client) && forwarded !== undefined) {
      // From the right: the entry the nearest proxy appended comes last.
      const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').reverse();
      for (const entry of hops) {
        const hop = normalizeAddress(entry);
        // A hop no trusted proxy could have written: stop at the last address a trusted proxy gave.
        if (!hop) break;
        client = hop;
        if (!trusted(hop)) break;
      }
    }
    return clientKeyOf(client);
  };
}
