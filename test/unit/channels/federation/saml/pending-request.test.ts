import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPendingRequests } from '../../../../../src/channels/federation/saml/pending-request.ts';
import { createRememberedRequestIds } from '../../../../../src/channels/federation/saml/remembered-request-ids.ts';

/** The sealed pending request of the resume URL, and the request IDs remembered against replay. */
const NOW = new Date('2026-11-29T12:00:00Z');
const key = Buffer.alloc(32, 7);
const pending = { vendor: 'v', id: '_req', acs: 2, relayState: 'rs', isPassive: true, exp: NOW.getTime() / 1000 + 60 };

/** A token sealed the way the gateway seals (HKDF label, HMAC-SHA256) around any JSON: to reach the checks behind the MAC. */
function sealRaw(json: unknown): string {
  const macKey = Buffer.from(hkdfSync('sha256', key, Buffer.from('patron-privacy-gateway/saml-pending/v1'), Buffer.alloc(0), 32));
  const payload = Buffer.from(JSON.stringify(json)).toString('base64url');
  return `${payload}.${createHmac('sha256', macKey).update(payload).digest('base64url')}`;
}
const EXP = NOW.getTime() / 1000 + 60;

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
    ['a truncated tag', () => sealer.seal(pending).slice(0, -4)],
    ['a validly sealed token over 1024 characters', () => sealRaw({ v: 'v', i: '_r', a: 0, p: 0, e: EXP, pad: 'x'.repeat(1000) })],
    ['a sealed payload without a vendor', () => sealRaw({ i: '_r', a: 0, p: 0, e: EXP })],
    ['a sealed payload whose request id is not text', () => sealRaw({ v: 'v', i: 7, a: 0, p: 0, e: EXP })],
    ['a sealed payload whose ACS position is not a number', () => sealRaw({ v: 'v', i: '_r', a: '0', p: 0, e: EXP })],
    ['a sealed payload without an expiry', () => sealRaw({ v: 'v', i: '_r', a: 0, p: 0 })],
  ])('refuses %s', (_name, make) => {
    expect(sealer.open(make(), NOW)).toBeUndefined();
  });

  it('a validly sealed token of exactly 1024 characters is read; a RelayState that is not text is dropped', () => {
    let padding = 0;
    let token = sealRaw({ v: 'v', i: '_r', a: 1, r: 5, p: 0, e: EXP, pad: 'x'.repeat(padding) });
    while (token.length < 1024) token = sealRaw({ v: 'v', i: '_r', a: 1, r: 5, p: 0, e: EXP, pad: 'x'.repeat(++padding) });
    expect(token.length).toBe(1024);
    expect(sealer.open(token, NOW)).toEqual({ vendor: 'v', id: '_r', acs: 1, isPassive: false, exp: EXP });
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
