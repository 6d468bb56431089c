import { describe, expect, it } from 'vitest';
import { createSessionTokens } from '../../../src/sessions/session-token.ts';
import { createMemorySessionRevocations } from '../../../src/sessions/session-revocations.ts';

const A = Buffer.alloc(32, 0xa1);
const B = Buffer.alloc(32, 0xb2);
const C = Buffer.alloc(32, 0xc3);
const NOW = new Date('2026-11-29T12:00:00Z');

function tokens(key: Buffer, previousKeys: Buffer[] = []) {
  return createSessionTokens({ key, previousKeys, ttlSeconds: 3600, revocations: createMemorySessionRevocations() });
}

describe('session tokens under rotating keys', () => {
  it.each([
    ['the same key opens its own sessions', A, [], A, [], true],
    ['a previous key still opens the sessions it sealed', A, [], B, [A], true],
    ['any listed previous key opens (not only the first)', A, [], B, [C, A], true],
    ['a removed key opens nothing: the patron signs in again', A, [], B, [], false],
    ['a key listed only as previous never seals: a node that knows only the old key cannot open new sessions', B, [A], A, [], false],
    ['an unrelated key opens nothing', A, [], C, [B], false],
  ])('%s', async (_name, sealKey, sealPrevious, openKey, openPrevious, opens) => {
    const { token, session } = await tokens(sealKey, sealPrevious).seal('patron-1', NOW);
    const opened = await tokens(openKey, openPrevious).open(token, NOW);
    expect(opened === undefined ? undefined : opened.patronId).toBe(opens ? session.patronId : undefined);
  });

  it('a session opened under a previous key still expires and is still ended by sign-out', async () => {
    const { token } = await tokens(A).seal('patron-1', NOW);
    const rotated = tokens(B, [A]);
    expect(await rotated.open(token, new Date(NOW.getTime() + 3601_000))).toBeUndefined();
    expect((await rotated.end(token, NOW))?.patronId).toBe('patron-1');
    expect(await rotated.open(token, NOW)).toBeUndefined();
  });

  it('refuses a previous key shorter than 32 bytes', () => {
    expect(() => tokens(A, [Buffer.alloc(16)])).toThrow(RangeError);
  });
});
