import { BlockList, isIP } from 'node:net';

/**
 * Addresses browse mode never connects to unless the contract pins the host there
 * (`upstream.pin`): whatever a vendor's DNS answers, its pages cannot make the gateway reach the
 * library's own network or the cloud's metadata service (SSRF). Loopback, "this network",
 * private (RFC 1918, unique local), shared (CGNAT), link-local (with 169.254.169.254, the metadata
 * address), multicast and reserved ranges, in IPv4 and IPv6 (IPv4-mapped and NAT64 forms checked as IPv4).
 */
const FORBIDDEN_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const FORBIDDEN_V6: ReadonlyArray<readonly [string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
];

export function createForbiddenAddressCheck(): (address: string) => boolean {
  const list = new BlockList();
  for (const [network, prefix] of FORBIDDEN_V4) list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of FORBIDDEN_V6) list.addSubnet(network, prefix, 'ipv6');
  return (address) => {
    const family = isIP(address);
    if (family === 0) return true;
    if (family === 4) return list.check(address, 'ipv4');
    const embedded = embeddedV4(address.toLowerCase());
    if (embedded !== undefined) return list.check(embedded, 'ipv4');
    return list.check(address, 'ipv6');
  };
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::) IPv6 address. */
function embeddedV4(address: string): string | undefined {
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1] as string, 16);
  const low = Number.parseInt(hex[2] as string, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}
