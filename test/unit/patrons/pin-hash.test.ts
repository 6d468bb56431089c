import { describe, expect, it } from 'vitest';
import { hashPin, isPinHash, verifyPin } from '../../../src/patrons/pin-hash.ts';

describe('PIN hashes', () => {
  it('verifies the right PIN only', async () => {
    const hash = await hashPin('1357', { N: 1024, r: 8, p: 1 });
    expect(await verifyPin('1357', hash)).toBe(true);
    expect(await verifyPin('1358', hash)).toBe(false);
    expect(await verifyPin('', hash)).toBe(false);
  });

  it.each([
    ['no hash at all (unknown barcode)', undefined],
    ['a hash of another scheme', '$2b$10$abcdefghijklmnopqrstuu'],
    ['a truncated hash', 'scrypt$1024$8$1$abc'],
    ['a hash with absurd cost', `scrypt$${2 ** 30}$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`],
  ])('refuses %s', async (_name, stored) => {
    expect(await verifyPin('1357', stored)).toBe(false);
    if (stored !== undefined) expect(isPinHash(stored)).toBe(false);
  });
});
