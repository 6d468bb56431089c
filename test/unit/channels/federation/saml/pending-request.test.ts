import { describe, expect, it } from 'vitest';
import { createPendingRequests } from '../../../../../src/channels/federation/saml/pending-request.ts';
import { createRememberedRequestIds } from '../../../../../src/channels/federation/saml/remembered-request-ids.ts';

/** The sealed pending request of the resume URL, and the request IDs remembered against replay. */
const NOW = new Date('2026-11-29T12:00:00Z');
const key = Buffer.alloc(32, 7);
const pending = { vendor: 'v', id: '_req', acs: 2, relayState: 'rs', isPassive: true, exp: NOW.getTime() / 1000 + 60 };

describe('pending requests', () => {
  const sealer = createPendingRequests(key);
  it('round-trips under the same key, on any node', () => {
    expect(createPendingRequests(Buffer.from(key)).open(sealer.seal(pending), NOW)).toEqual(pending);
    const { relayState: _relayState, ...bare } = pending;
    expect(sealer.open(sealer.seal({ ...bare, isPassive: false }), NOW)).toEqual({ ...bare, isPassive: false });
  });

  it.each([
    ['another key', () => createPendingRequests(Buffer.alloc(32, 8)).seal(pending)],
    ['a changed payload', () => `${Buffer.from(JSON.stringify({ v: 'other', i: '_req', a: 2, p: 0, e: 2e9 })).toString('base64url')}.${sealer.seal(pending).split('.')[1]}`],
    ['no tag', () => sealer.seal(pending).split('.')[0] ?? ''],
    ['a third part', () => `${sealer.seal(pending)}.x`],
    ['a payload that is not JSON', () => { const tag = sealer.seal(pending).split('.')[1]; return `bm90IGpzb24.${tag}`; }],
    ['an expired one', () => sealer.seal({ ...pending, exp: NOW.getTime() / 1000 })],
    ['a token over 1024 characters', () => 'a'.repeat(1025)],
  ])('refuses %s', (_name, make) => {
    expect(sealer.open(make(), NOW)).toBeUndefined();
  });
});

describe('remembered request IDs', () => {
  it('accepts an ID once and answers it once, per SP', () => {
    const ids = createRememberedRequestIds({ max: 10, ttlMs: 60_000 });
    expect([ids.accept('sp', 'a'), ids.accept('sp', 'a'), ids.accept('other', 'a')]).toEqual([true, false, true]);
    expect([ids.answer('sp', 'a'), ids.answer('sp', 'a')]).toEqual([true, false]);
  });

  it('is bounded: past max, the oldest are forgotten', () => {
    const ids = createRememberedRequestIds({ max: 2, ttlMs: 60_000 });
    ids.accept('sp', 'a');
    ids.accept('sp', 'b');
    ids.accept('sp', 'c');
    expect(ids.accept('sp', 'a')).toBe(true);
  });
});
