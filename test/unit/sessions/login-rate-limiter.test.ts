import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLoginRateLimiter, type MemoryLoginRateLimiter as LoginRateLimiter, type LoginTry } from '../../../src/sessions/login-rate-limiter.ts';

const T0 = new Date('2026-11-29T12:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const CARD = '21234000123456';

function limiter(overrides: { clientFailures?: number; cardFailures?: number; maxKeys?: number } = {}): LoginRateLimiter {
  return createLoginRateLimiter({ key: randomBytes(32), clientFailures: overrides.clientFailures ?? 3, clientWindowSeconds: 60, cardFailures: overrides.cardFailures ?? 3, cardWindowSeconds: 900, ...(overrides.maxKeys !== undefined ? { maxKeys: overrides.maxKeys } : {}) });
}

/** Tries and fails `n` times; returns the verdicts. */
function fail(l: LoginRateLimiter, n: number, client: (i: number) => string, card: (i: number) => string, when: (i: number) => Date = () => T0): LoginTry[] {
  return Array.from({ length: n }, (_, i) => l.begin(client(i), card(i), when(i)));
}
const allowed = (tries: LoginTry[]): boolean[] => tries.map((t) => t.allowed);

describe('login rate limiter', () => {
  it('a card guessed from many clients is refused after its limit (the card bucket), with the wait to its window\'s end', () => {
    const l = limiter();
    expect(allowed(fail(l, 4, (i) => `198.51.100.${i}`, () => CARD, (i) => at(i * 10)))).toEqual([true, true, true, false]);
    const refused = l.begin('203.0.113.1', CARD, at(30));
    expect(refused).toEqual({ allowed: false, wait: 870 });
  });

  it('a client guessing many cards is refused after its limit (the client bucket), with the wait to its window\'s end', () => {
    const l = limiter();
    expect(allowed(fail(l, 3, () => '192.0.2.1', (i) => `card-${i}`))).toEqual([true, true, true]);
    expect(l.begin('192.0.2.1', 'card-new', at(15))).toEqual({ allowed: false, wait: 45 });
    expect(l.begin('192.0.2.2', 'card-new', at(15)).allowed).toBe(true);
  });

  it('refuses exactly at the limit: limit 1 allows one failure, then refuses', () => {
    const l = limiter({ clientFailures: 1, cardFailures: 10 });
    expect(l.begin('c', 'a', T0).allowed).toBe(true);
    expect(l.begin('c', 'b', T0).allowed).toBe(false);
  });

  it('the longer of two waits is given when both buckets are full', () => {
    const l = limiter({ clientFailures: 1, cardFailures: 1 });
    l.begin('c', CARD, T0);
    expect(l.begin('c', CARD, at(10))).toEqual({ allowed: false, wait: 890 });
  });

  it('a wait is at least one second, rounded up', () => {
    const l = limiter({ clientFailures: 1, cardFailures: 100 });
    l.begin('c', 'a', T0);
    expect(l.begin('c', 'b', new Date(T0.getTime() + 59_999))).toEqual({ allowed: false, wait: 1 });
    expect(l.begin('c', 'b', new Date(T0.getTime() + 58_500))).toEqual({ allowed: false, wait: 2 });
  });

  it('a window ends at its reset time exactly: a new one starts then', () => {
    const l = limiter({ clientFailures: 1, cardFailures: 100 });
    l.begin('c', 'a', T0);
    expect(l.begin('c', 'b', new Date(T0.getTime() + 59_999)).allowed).toBe(false);
    expect(l.begin('c', 'b', at(60)).allowed).toBe(true);
  });

  it('successes are not counted: taken back by succeeded(), any number of times from one address', () => {
    const l = limiter();
    for (let i = 0; i < 20; i++) {
      const attempt = l.begin('branch-nat', `card-${i}`, T0);
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) attempt.succeeded();
    }
    expect(allowed(fail(l, 4, () => 'branch-nat', (i) => `other-${i}`))).toEqual([true, true, true, false]);
  });

  it('succeeded() takes back one attempt once, however often it is called', () => {
    const l = limiter({ clientFailures: 2, cardFailures: 100 });
    const first = l.begin('c', 'a', T0);
    if (first.allowed) {
      first.succeeded();
      first.succeeded();
      first.succeeded();
    }
    expect(allowed(fail(l, 3, () => 'c', (i) => `x${i}`))).toEqual([true, true, false]);
  });

  it('succeeded() takes back from the card bucket too', () => {
    const l = limiter({ clientFailures: 100, cardFailures: 1 });
    const first = l.begin('c', CARD, T0);
    if (first.allowed) first.succeeded();
    expect(l.begin('d', CARD, T0).allowed).toBe(true);
    expect(l.begin('e', CARD, T0).allowed).toBe(false);
  });

  it('attempts in flight count at once: parallel guesses cannot all pass before the first fails', () => {
    const l = limiter({ clientFailures: 100, cardFailures: 3 });
    const tries = fail(l, 10, (i) => `c${i}`, () => CARD);
    expect(tries.filter((t) => t.allowed)).toHaveLength(3);
  });

  it.each([
    [' 2123 4000 1234 56 ', 'spaces'],
    ['2123-4000-1234-56', 'dashes'],
    ['\t21234000123456\n', 'tabs and newlines'],
    ['２１２３４０００１２３４５６', 'full-width digits (NFKC)'],
    ['2123_4000.1234.56', 'underscores and dots'],
  ])('%j is the same card (%s): no fresh bucket for another spelling', (spelling) => {
    const l = limiter({ clientFailures: 100, cardFailures: 1 });
    l.begin('c1', CARD, T0);
    expect(l.begin('c2', spelling, T0).allowed).toBe(false);
  });

  it('letters in a card are compared without case', () => {
    const l = limiter({ clientFailures: 100, cardFailures: 1 });
    l.begin('c1', 'LIB-abc-1', T0);
    expect(l.begin('c2', 'libABC1', T0).allowed).toBe(false);
  });

  it('different cards are different buckets', () => {
    const l = limiter({ clientFailures: 100, cardFailures: 1 });
    l.begin('c1', '1111', T0);
    expect(l.begin('c2', '1112', T0).allowed).toBe(true);
  });

  it('is bounded: past maxKeys the least recent client is forgotten', () => {
    const l = limiter({ clientFailures: 1, cardFailures: 100, maxKeys: 2 });
    l.begin('old', 'a', T0);
    l.begin('new-1', 'b', T0);
    l.begin('new-2', 'c', T0);
    expect(l.begin('old', 'd', T0).allowed).toBe(true);
  });
});
