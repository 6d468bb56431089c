import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createClientAddressReader } from '../../../src/sessions/client-address.ts';

function request(remoteAddress: string | undefined, forwardedFor?: string | string[]): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  const req = new IncomingMessage(socket);
  if (forwardedFor !== undefined) req.headers['x-forwarded-for'] = forwardedFor as string;
  return req;
}

const behindLb = createClientAddressReader(['10.0.0.1', '10.1.0.0/16']);
const direct = createClientAddressReader([]);

describe('client address for sign-in limits', () => {
  it.each([
    ['a direct client is its peer address', direct, '203.0.113.7', undefined, '203.0.113.7'],
    ['a direct client\'s own X-Forwarded-For is ignored (no proxy is trusted by default)', direct, '203.0.113.7', '198.51.100.1', '203.0.113.7'],
    ['a peer that is not a trusted proxy is the client, whatever it forwards', behindLb, '203.0.113.7', '198.51.100.1', '203.0.113.7'],
    ['behind a trusted proxy the client is the address it appended', behindLb, '10.0.0.1', '198.51.100.1', '198.51.100.1'],
    ['what a client wrote to the left of the proxy\'s entry is not believed', behindLb, '10.0.0.1', '1.1.1.1, 198.51.100.1', '198.51.100.1'],
    ['trusted proxies in the chain are skipped (read from the right)', behindLb, '10.0.0.1', '198.51.100.1, 10.1.2.3', '198.51.100.1'],
    ['several X-Forwarded-For headers read as one list', behindLb, '10.0.0.1', ['1.1.1.1', '198.51.100.1'], '198.51.100.1'],
    ['a trusted proxy with no X-Forwarded-For is the client itself', behindLb, '10.0.0.1', undefined, '10.0.0.1'],
    ['only trusted proxies in the list: the left-most is the client', behindLb, '10.0.0.1', '10.1.0.9, 10.1.0.8', '10.1.0.9'],
    ['an entry no proxy would write stops the walk at the last good address', behindLb, '10.0.0.1', 'garbage, 10.1.0.8', '10.1.0.8'],
    ['an entry with a port is its address', behindLb, '10.0.0.1', '198.51.100.1:5555', '198.51.100.1'],
    ['an IPv6 client behind the proxy counts per /64', behindLb, '10.0.0.1', '2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['an IPv4-mapped peer address is its IPv4 address (and can be trusted as such)', behindLb, '::ffff:10.0.0.1', '198.51.100.1', '198.51.100.1'],
    ['no peer address at all is one "unknown" client', behindLb, undefined, '198.51.100.1', 'unknown'],
  ] as const)('%s', (_name, reader, remote, forwarded, expected) => {
    expect(reader(request(remote, forwarded as string | string[] | undefined))).toBe(expected);
  });
});
