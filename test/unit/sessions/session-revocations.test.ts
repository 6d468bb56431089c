import { describe, expect, it } from 'vitest';
import { createMemorySessionRevocations } from '../../../src/sessions/session-revocations.ts';
import { createSessionTokens } from '../../../src/sessions/session-token.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);
const later = (s: number): Date => new Date(NOW.getTime() + s * 1000);

describe('session revocations (memory)', () => {
  it('a revoked session is revoked until its expiry, then forgotten (the cookie is refused by then anyway)', () => {
    const revocations = createMemorySessionRevocations();
    revocations.revoke('sid-1', seconds(NOW) + 60, NOW);
    expect(revocations.isRevoked('sid-1', NOW)).toBe(true);
    expect(revocations.isRevoked('sid-1', later(59))).toBe(true);
    expect(revocations.isRevoked('sid-1', later(60))).toBe(false);
    expect(revocations.isRevoked('sid-2', NOW)).toBe(false);
  });

  it('a session already expired is not recorded', () => {
    const revocations = createMemorySessionRevocations({ max: 1 });
    revocations.revoke('live', seconds(NOW) + 60, NOW);
    revocations.revoke('expired', seconds(NOW), NOW);
    expect(revocations.isRevoked('live', NOW)).toBe(true);
    expect(revocations.isRevoked('expired', NOW)).toBe(false);
  });

  it('is bounded: past max the least recent revocation is forgotten', () => {
    const revocations = createMemorySessionRevocations({ max: 2 });
    for (const sid of ['a', 'b', 'c']) revocations.revoke(sid, seconds(NOW) + 60, NOW);
    expect(['a', 'b', 'c'].map((sid) => revocations.isRevoked(sid, NOW))).toEqual([false, true, true]);
  });
});

describe('session tokens: end', () => {
  const key = Buffer.alloc(32, 4);

  it('ends the session in a token: opening it (cached or not) gives nothing, on this node and on one sharing the revocations', async () => {
    const revocations = createMemorySessionRevocations();
    const node = createSessionTokens({ key, ttlSeconds: 3600, revocations });
    const other = createSessionTokens({ key, ttlSeconds: 3600, revocations });
    const { token, session } = await node.seal('p-1', NOW);
    expect(await node.open(token, NOW)).toEqual(session);
    expect(await node.end(token, NOW)).toEqual(session);
    expect(await node.open(token, NOW)).toBeUndefined();
    expect(await other.open(token, NOW)).toBeUndefined();
  });

  it('a token that opens nothing ends nothing (and a new session is unaffected)', async () => {
    const revocations = createMemorySessionRevocations();
    const tokens = createSessionTokens({ key, ttlSeconds: 3600, revocations });
    const { token } = await tokens.seal('p-1', NOW);
    expect(await tokens.end('not-a-token', NOW)).toBeUndefined();
    expect(await tokens.end('x'.repeat(5000), NOW)).toBeUndefined();
    expect(await tokens.open(token, NOW)).toBeDefined();
  });

  it('ending one session leaves the same patron\'s other sessions alone', async () => {
    const revocations = createMemorySessionRevocations();
    const tokens = createSessionTokens({ key, ttlSeconds: 3600, revocations });
    const first = await tokens.seal('p-1', NOW);
    const second = await tokens.seal('p-1', NOW);
    await tokens.end(first.token, NOW);
    expect(await tokens.open(second.token, NOW)).toEqual(second.session);
  });
});
