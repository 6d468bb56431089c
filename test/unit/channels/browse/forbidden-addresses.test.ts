import { describe, expect, it } from 'vitest';
import { createForbiddenAddressCheck } from '../../../../src/channels/browse/forbidden-addresses.ts';

describe('forbidden upstream addresses (SSRF)', () => {
  const isForbidden = createForbiddenAddressCheck();
  const table: Array<[string, string, boolean]> = [
    ['loopback', '127.0.0.1', true],
    ['loopback anywhere in 127/8', '127.255.0.9', true],
    ['"this network"', '0.0.0.0', true],
    ['private 10/8', '10.20.30.40', true],
    ['private 172.16/12, low end', '172.16.0.1', true],
    ['private 172.16/12, high end', '172.31.255.254', true],
    ['just above 172.16/12 is public', '172.32.0.1', false],
    ['private 192.168/16', '192.168.1.1', true],
    ['shared address space (CGNAT)', '100.64.0.1', true],
    ['link-local', '169.254.10.10', true],
    ['the cloud metadata address', '169.254.169.254', true],
    ['IETF protocol assignments', '192.0.0.170', true],
    ['benchmarking 198.18/15', '198.19.0.1', true],
    ['multicast', '224.0.0.251', true],
    ['reserved 240/4 and broadcast', '255.255.255.255', true],
    ['a public IPv4 address', '93.184.216.34', false],
    ['IPv6 loopback', '::1', true],
    ['IPv6 unspecified', '::', true],
    ['IPv6 unique local', 'fd00:ec2::254', true],
    ['IPv6 link-local', 'fe80::1', true],
    ['IPv6 multicast', 'ff02::1', true],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1', true],
    ['IPv4-mapped loopback in hex', '::ffff:7f00:1', true],
    ['IPv4-mapped metadata in hex', '::ffff:a9fe:a9fe', true],
    ['NAT64 of a private address', '64:ff9b::10.0.0.1', true],
    ['IPv4-mapped public address', '::ffff:93.184.216.34', false],
    ['IPv4-mapped public address in hex', '::ffff:5db8:d822', false],
    ['a public IPv6 address', '2606:2800:220:1:248:1893:25c8:1946', false],
    ['not an address at all', 'vendor.example', true],
    ['NAT64 of a private address in hex', '64:ff9b::a00:1', true],
    ['NAT64 of a public address in hex', '64:ff9b::5db8:d822', false],
    ['a public IPv6 address ending like a mapped loopback is not one', '1::ffff:7f00:1', false],
    ['a public IPv6 address ending like a mapped dotted loopback is not one', '1::ffff:127.0.0.1', false],
    ['a public IPv6 address starting like a mapped loopback is not one', '::ffff:7f00:1:5', false],
  ];
  it.each(table)('%s: %s -> %s', (_why, address, forbidden) => {
    expect(isForbidden(address)).toBe(forbidden);
  });
});
