import { BlockList, isIP } from 'node:net';

/**
 * Addresses as the gateway keys and compares them: an IPv4-mapped IPv6 address is its IPv4
 * address, and an IPv6 client is its /64 (one household or host is given a whole /64, so a single
 * address would let one client count as billions).
 */
export function normalizeAddress(address: string): { readonly address: string; readonly family: 'ipv4' | 'ipv6' } | undefined {
  let candidate = address.trim();
  if (candidate.startsWith('[')) {
    // "[2001:db8::1]:443" or "[2001:db8::1]"
    const end = candidate.indexOf(']');
    if (end < 0) return undefined;
    candidate = candidate.slice(1, end);
  } else if (candidate.indexOf(':') > 0 && candidate.indexOf(':') === candidate.lastIndexOf(':')) {
    // "203.0.113.7:5678": one colon is a port, never IPv6
    candidate = candidate.slice(0, candidate.indexOf(':'));
  }
  const lower = candidate.toLowerCase();
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return { address: lower.slice(7), family: 'ipv4' };
  const version = isIP(lower);
  if (version === 4) return { address: lower, family: 'ipv4' };
  if (version === 6) return { address: lower, family: 'ipv6' };
  return undefined;
}

/** The key one client is counted under: the IPv4 address, or the first four groups of the IPv6 address (its /64). */
export function clientKeyOf(address: { readonly address: string; readonly family: 'ipv4' | 'ipv6' }): string {
  if (address.family === 'ipv4') return address.address;
  return `${expandIPv6(address.address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address (an embedded IPv4 tail becomes two groups). */
function expandIPv6(address: string): string[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}

/** Why an address or CIDR as written is not one, or undefined when it is (for settings validation). */
export function explainAddressOrCidr(entry: string): string | undefined {
  return parseAddressOrCidr(entry) === undefined ? 'is not an IP address or a CIDR range' : undefined;
}

/** An IP address ("10.0.0.1", "2001:db8::1") or CIDR range ("10.0.0.0/8", "2001:db8::/32"), parsed. */
export function parseAddressOrCidr(entry: string): { readonly network: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' } | undefined {
  const slash = entry.indexOf('/');
  const host = slash < 0 ? entry : entry.slice(0, slash);
  const version = isIP(host);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  if (slash < 0) return { network: host, prefix: bits, family };
  const prefixText = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= bits ? { network: host, prefix, family } : undefined;
}

/** A set of addresses and ranges to check addresses against (node's BlockList). Throws on an entry parseAddressOrCidr refuses. */
export function createAddressSet(entries: ReadonlyArray<string>): (address: { readonly address: string; readonly family: 'ipv4' | 'ipv6' }) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseAddressOrCidr(entry);
    if (!parsed) throw new RangeError('not an IP address or CIDR range');
    list.addSubnet(parsed.network, parsed.prefix, parsed.family);
  }
  return entries.length === 0 ? () => false : (address) => list.check(address.address, address.family);
}
