import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMemorySharedState } from '../../../src/state/shared-state.ts';
import { chooseRetryDelay } from '../../../src/state/open-redis-state.ts';

describe('the in-memory shared state (one node, no Redis)', () => {
  it('throttles by name apart: failures on sign-in leave the SIP2 PIN throttle untouched', async () => {
    const state = createMemorySharedState();
    const limits = { key: randomBytes(32), clientFailures: 10, clientWindowSeconds: 60, cardFailures: 1, cardWindowSeconds: 900 };
    const signIn = state.createLimiter('sign-in', limits);
    const pin = state.createLimiter('sip2-pin', limits);
    const now = new Date('2026-11-29T12:00:00Z');
    expect((await signIn.begin('c', 'card', now)).allowed).toBe(true);
    expect((await signIn.begin('c', 'card', now)).allowed).toBe(false);
    expect((await pin.begin('c', 'card', now)).allowed).toBe(true);
  });

  it('tickets are taken once; an id is never issued twice', async () => {
    const { tickets } = createMemorySharedState();
    expect(await tickets.put('t1', 'payload', 60)).toBe(true);
    expect(await tickets.put('t1', 'other', 60)).toBe(false);
    expect(await tickets.take('t1')).toBe('payload');
    expect(await tickets.take('t1')).toBeUndefined();
    expect(await tickets.take('never-put')).toBeUndefined();
  });

  it('is always up', () => {
    expect(createMemorySharedState().isUp()).toBe(true);
  });
});

describe('reconnecting to Redis', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [5, 1600],
    [6, 2000],
    [50, 2000],
  ])('try %i waits %i ms (doubling from 100 ms, at most 2 s, for ever)', (attempt, delay) => {
    expect(chooseRetryDelay(attempt)).toBe(delay);
  });
});
