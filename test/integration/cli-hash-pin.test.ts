import { describe, expect, it } from 'vitest';
import { verifyPin } from '../../src/patrons/pin-hash.ts';
import { runGateway, spawnGateway } from '../helpers/cli.ts';

describe('gateway hash-pin', () => {
  it('prints a hash, as the last line, that verifies the PIN and no other (the real executable)', async () => {
    const result = await spawnGateway(['hash-pin', '4821']);
    expect(result.code).toBe(0);
    const last = result.stdout.trim().split('\n').pop() ?? '';
    expect(last).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPin('4821', last)).toBe(true);
    expect(await verifyPin('4822', last)).toBe(false);
  });

  it('reads the PIN from standard input with -', async () => {
    const result = await runGateway(['hash-pin', '-'], {}, '7391\n');
    expect(await verifyPin('7391', result.stdout.trim())).toBe(true);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([runGateway(['hash-pin', '1111']), runGateway(['hash-pin', '1111'])]);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it.each([['123'], ['x'.repeat(129)]])('refuses a PIN of the wrong length (%#) with exit 2', async (pin) => {
    const result = await runGateway(['hash-pin', pin]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/4 to 128 characters/);
    expect(result.stdout).toBe('');
  });
});
