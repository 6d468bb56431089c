import { BlockList, isIP } from 'node:net';

/** An address of one family, as the gateway compares and keys it. */
export interface NormalizedAddress {
  readonly address: string;
  readonly family: 'ipv4' | 'ipv6';
}

/** "203.0.113.7:5678": an IPv4 address with a port, as some proxies write X-Forwarded-For. */
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;

/**
 * An address as written by a socket or a proxy ("203.0.113.7", "203.0.113.7:5678",
 * "[2001:db8::1]:443", "::ffff:203.0.113.7"), lower-cased and without port or brackets; an
 * IPv4-mapped IPv6 address is its IPv4 address. Undefined for anything that is no address.
 */
export function normalizeAddress(address: string): NormalizedAddress | undefined {
  let candidate = address.trim().toLowerCase();
  if (candidate.startsWith('[')) {
    const end = candidate.indexOf(']');
    if (end === -1) return undefined;
    candidate = candidate.slice(1, end);
  }
  candidate = IPV4_WITH_PORT.exec(candidate)?.[1] ?? candidate;
  const version = isIP(candidate);
  if (version === 4) return { address: candidate, family: 'ipv4' };
  if (version === 0) return undefined;
  const mapped = candidate.startsWith('::ffff:') ? candidate.slice(7) : '';
  return isIP(mapped) === 4 ? { address: mapped, family: 'ipv4' } : { address: candidate, family: 'ipv6' };
}

/**
 * The key one client is counted under: the IPv4 address, or the IPv6 address's /64 (one household
 * or host is given a whole /64, so counting single addresses would let one client be billions).
 */
export function clientKeyOf(address: NormalizedAddress): string {
  if (address.family === 'ipv4') return address.address;
  const [head = '', tail] = address.address.split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const right = tail === '' ? [] : tail.split(':');
    // An embedded IPv4 tail ("::ffff:1.2.3.4" aside, e.g. "64:ff9b::1.2.3.4") stands for two groups.
    const missing = 8 - groups.length - right.length - (tail.includes('.') ? 1 : 0);
    groups.push(...new Array<string>(missing).fill('0'), ...right);
  }
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** An IP address ("10.0.0.1", "2001:db8::1") or CIDR range ("10.0.0.0/8", "2001:db8::/32"), parsed. */
export function parseAddressOrCidr(entry: string): { readonly network: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' } | undefined {
  const [host = '', prefixText, ...extra] = entry.split('/');
  const version = isIP(host);
  if (version === 0 || extra.length > 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { network: host, prefix: bits, family };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= bits ? { network: host, prefix, family } : undefined;
}

/** A set of addresses and ranges to check addresses against (node's BlockList). Throws on an entry parseAddressOrCidr refuses. */
export function createAddressSet(entries: ReadonlyArray<string>): (address: NormalizedAddress) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseAddressOrCidr(entry);
    if (!parsed) throw new RangeError('not an IP address or CIDR range');
    list.addSubnet(parsed.network, parsed.prefix, parsed.family);
  }
  return (address) => list.check(address.address, address.family);
}
