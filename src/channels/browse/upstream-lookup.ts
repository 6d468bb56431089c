import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

/** Thrown (as a lookup error) when the only addresses a host has are forbidden ones. */
export const REFUSED_ADDRESS = 'EGATEWAYREFUSED';

/**
 * The `lookup` browse mode connects with: a pinned host goes to its pinned address whatever DNS
 * says; any other host's addresses come from DNS, and every forbidden one (see
 * forbidden-addresses.ts) is dropped; none left refuses the connection. The check is on the address
 * actually connected to, so a DNS answer that changes between two lookups cannot slip through.
 */
export function createUpstreamLookup(options: { pins: Readonly<Record<string, string>>; isForbidden: (address: string) => boolean; resolve?: typeof dnsLookup }): LookupFunction {
  const resolve = options.resolve ?? dnsLookup;
  return ((hostname: string, lookupOptions: { all?: boolean }, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    const answer = (addresses: LookupAddress[]): void => {
      if (addresses.length === 0) {
        const error: NodeJS.ErrnoException = new Error('upstream address refused');
        error.code = REFUSED_ADDRESS;
        callback(error, []);
        return;
      }
      if (lookupOptions.all) callback(null, addresses);
      else callback(null, (addresses[0] as LookupAddress).address, (addresses[0] as LookupAddress).family);
    };
    const pinned = options.pins[hostname.toLowerCase()];
    if (pinned !== undefined) {
      answer([{ address: pinned, family: isIP(pinned) === 6 ? 6 : 4 }]);
      return;
    }
    resolve(hostname, { all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      answer(addresses.filter((entry) => !options.isForbidden(entry.address)));
    });
  }) as LookupFunction;
}
