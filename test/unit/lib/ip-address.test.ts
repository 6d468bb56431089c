import { describe, expect, it } from 'vitest';
import { clientKeyOf, createAddressSet, parseAddressOrCidr, normalizeAddress } from '../../../src/lib/ip-address.ts';

describe('normalizeAddress', () => {
  it.each([
    ['203.0.113.7', { address: '203.0.113.7', family: 'ipv4' }, 'IPv4 as is'],
    [' 203.0.113.7 ', { address: '203.0.113.7', family: 'ipv4' }, 'spaces around a forwarded entry'],
    ['203.0.113.7:5678', { address: '203.0.113.7', family: 'ipv4' }, 'an IPv4 address with a port'],
    ['::ffff:203.0.113.7', { address: '203.0.113.7', family: 'ipv4' }, 'IPv4-mapped IPv6 is IPv4'],
    ['::FFFF:203.0.113.7', { address: '203.0.113.7', family: 'ipv4' }, 'in upper case too'],
    ['2001:DB8::1', { address: '2001:db8::1', family: 'ipv6' }, 'IPv6 lower-cased'],
    ['[2001:db8::1]:443', { address: '2001:db8::1', family: 'ipv6' }, 'bracketed IPv6 with a port'],
    ['[2001:db8::1]', { address: '2001:db8::1', family: 'ipv6' }, 'bracketed IPv6'],
    ['::1', { address: '::1', family: 'ipv6' }, 'the IPv6 loopback'],
    ['::ffff:1:2', { address: '::ffff:1:2', family: 'ipv6' }, 'an ::ffff: prefix without an IPv4 tail stays IPv6'],
    ['::abcd:1.2.3.4', { address: '::abcd:1.2.3.4', family: 'ipv6' }, 'an IPv4 tail behind another prefix is no mapped address'],
    ['[::ffff:203.0.113.7]:80', { address: '203.0.113.7', family: 'ipv4' }, 'a bracketed mapped address with a port'],
  ])('%j -> %j (%s)', (input, expected) => {
    expect(normalizeAddress(input)).toEqual(expected);
  });

  it.each([['unknown'], [''], ['[2001:db8::1'], ['[]'], ['999.1.1.1'], ['lb.library.test'], ['1.2.3.4:5:6'], ['1.2.3.4:'], [':80'], ['1.2.3.4:123456']])('%j is no address', (input) => {
    expect(normalizeAddress(input)).toBeUndefined();
  });
});

describe('clientKeyOf', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7', 'an IPv4 client is its address'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64', 'an IPv6 client is its /64'],
    ['2001:db8:aa:bb::9', '2001:db8:aa:bb::/64', 'compressed addresses in the same /64 agree'],
    ['2001:0db8:00aa:00bb::9', '2001:db8:aa:bb::/64', 'leading zeros do not make another client'],
    ['2001:db8::1', '2001:db8:0:0::/64', 'a compressed prefix is expanded'],
    ['::1', '0:0:0:0::/64', 'all-zero prefix'],
    ['fe80::1:2:3:4', 'fe80:0:0:0::/64', 'a fill in the middle'],
    ['1:2:3::', '1:2:3:0::/64', 'a fill at the end'],
    ['64:ff9b::203.0.113.7', '64:ff9b:0:0::/64', 'an embedded IPv4 tail'],
    ['1:2:3:4:5:6:203.0.113.7', '1:2:3:4::/64', 'an embedded IPv4 tail after six groups'],
    ['1::2:3:4:203.0.113.7', '1:0:0:2::/64', 'an embedded IPv4 tail counts as two groups when filling'],
    ['1:2::3:4:5:6:7', '1:2:0:3::/64', 'a one-group fill with a long right side'],
    ['::2:3:4:5:6:7:8', '0:2:3:4::/64', 'a one-group fill at the start'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4::/64', 'no fill at all'],
  ])('%j -> %j (%s)', (input, expected) => {
    const address = normalizeAddress(input);
    if (!address) throw new Error('not an address');
    expect(clientKeyOf(address)).toBe(expected);
  });
});

describe('parseAddressOrCidr and createAddressSet', () => {
  it.each([
    ['10.0.0.5', { network: '10.0.0.5', prefix: 32, family: 'ipv4' }],
    ['10.0.0.0/8', { network: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['0.0.0.0/0', { network: '0.0.0.0', prefix: 0, family: 'ipv4' }],
    ['10.0.0.0/32', { network: '10.0.0.0', prefix: 32, family: 'ipv4' }],
    ['2001:db8::5', { network: '2001:db8::5', prefix: 128, family: 'ipv6' }],
    ['2001:db8::/32', { network: '2001:db8::', prefix: 32, family: 'ipv6' }],
    ['2001:db8::/128', { network: '2001:db8::', prefix: 128, family: 'ipv6' }],
  ])('%j parses', (entry, expected) => {
    expect(parseAddressOrCidr(entry)).toEqual(expected);
  });

  it.each([['lb.example'], ['10.0.0.0/33'], ['2001:db8::/129'], ['10.0.0.0/'], ['10.0.0.0/8x'], ['10.0.0.0/-1'], ['10.0.0.0/1000'], [''], ['/8'], ['10.0.0.0/8/8']])('%j is refused', (entry) => {
    expect(parseAddressOrCidr(entry)).toBeUndefined();
  });

  it('matches addresses inside its ranges and no others, by family', () => {
    const inSet = createAddressSet(['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    const check = (text: string): boolean => inSet(normalizeAddress(text) ?? { address: '0.0.0.0', family: 'ipv4' });
    expect(['10.1.2.3', '192.0.2.1', '2001:db8:1::1', '::ffff:10.9.9.9'].map(check)).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '192.0.2.2', '2001:db9::1', '::1'].map(check)).toEqual([false, false, false, false]);
  });

  it('an empty set trusts nothing', () => {
    expect(createAddressSet([])({ address: '127.0.0.1', family: 'ipv4' })).toBe(false);
  });

  it('refuses an entry it cannot parse (boot validated it already)', () => {
    expect(() => createAddressSet(['nope'])).toThrow(new RangeError('not an IP address or CIDR range'));
  });
});
