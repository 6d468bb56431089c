import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { createForbiddenAddressCheck } from '../../../../src/channels/browse/forbidden-addresses.ts';
import { createUpstreamLookup, REFUSED_ADDRESS } from '../../../../src/channels/browse/upstream-lookup.ts';

/** A DNS stand-in answering from a table (the lookup's resolver is a parameter: this is the network's edge, not our code). */
function dns(answers: Record<string, string[]>) {
  return ((hostname: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => {
    const found = answers[hostname];
    if (!found) {
      const error: NodeJS.ErrnoException = new Error('not found');
      error.code = 'ENOTFOUND';
      callback(error, []);
      return;
    }
    callback(null, found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }) as never;
}

function look(lookup: ReturnType<typeof createUpstreamLookup>, hostname: string, all: boolean): Promise<{ error?: string; address?: unknown; family?: number }> {
  return new Promise((resolve) => {
    (lookup as unknown as (h: string, o: { all: boolean }, cb: (e: NodeJS.ErrnoException | null, a: unknown, f?: number) => void) => void)(hostname, { all }, (error, address, family) => {
      resolve(error ? { error: error.code ?? 'error' } : { address, ...(family !== undefined ? { family } : {}) });
    });
  });
}

describe('the upstream lookup', () => {
  const build = () => createUpstreamLookup({
    pins: { 'pinned.example': '127.0.0.1', 'v6.example': '::1' },
    isForbidden: createForbiddenAddressCheck(),
    resolve: dns({ 'public.example': ['93.184.216.34'], 'private.example': ['10.0.0.5'], 'mixed.example': ['10.0.0.5', '93.184.216.35'], 'metadata.example': ['169.254.169.254'], 'pinned.example': ['93.184.216.99'] }),
  });
  const table: Array<[string, string, boolean, unknown]> = [
    ['a pinned host goes to its pin, whatever DNS says (even loopback)', 'pinned.example', false, { address: '127.0.0.1', family: 4 }],
    ['a pinned host, all addresses asked', 'pinned.example', true, { address: [{ address: '127.0.0.1', family: 4 }] }],
    ['a pin is matched whatever the case', 'PINNED.example', false, { address: '127.0.0.1', family: 4 }],
    ['an IPv6 pin', 'v6.example', false, { address: '::1', family: 6 }],
    ['a public answer passes', 'public.example', false, { address: '93.184.216.34', family: 4 }],
    ['a private answer is refused', 'private.example', false, { error: REFUSED_ADDRESS }],
    ['the metadata address is refused', 'metadata.example', true, { error: REFUSED_ADDRESS }],
    ['only the public addresses of a mixed answer are kept', 'mixed.example', true, { address: [{ address: '93.184.216.35', family: 4 }] }],
    ['a DNS failure is passed on', 'nowhere.example', false, { error: 'ENOTFOUND' }],
  ];
  it.each(table)('%s', async (_why, hostname, all, expected) => {
    expect(await look(build(), hostname, all)).toEqual(expected);
  });
});
