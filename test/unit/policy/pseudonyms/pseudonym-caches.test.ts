import { describe, expect, it } from 'vitest';
import { createPseudonymKeys } from '../../../../src/policy/pseudonyms/pseudonym-keys.ts';
import { TEST_MASTER_SECRET } from '../../../helpers/contracts.ts';

describe('pseudonym caches', () => {
  it.each([
    ['both caches off', { cacheSize: 0, pseudonymCacheSize: 0 }],
    ['only the vendor-key cache on', { cacheSize: 5, pseudonymCacheSize: 0 }],
    ['only the pseudonym cache on', { cacheSize: 0, pseudonymCacheSize: 5 }],
    ['tiny caches that evict', { cacheSize: 1, pseudonymCacheSize: 1 }],
  ])('%s give the same pseudonyms as the defaults (a cache is only ever a shortcut)', (_name, sizes) => {
    const reference = createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: 1 });
    const keys = createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: 1, ...sizes });
    for (let round = 0; round < 2; round++) {
      for (const [vendor, patron] of [['v1', 'p-1'], ['v2', 'p-1'], ['v1', 'p-2']] as const) {
        expect(keys.pseudonymize(vendor, patron)).toBe(reference.pseudonymize(vendor, patron));
      }
    }
    expect(keys.pseudonymize('v1', 'p-1')).not.toBe(keys.pseudonymize('v2', 'p-1'));
    expect(keys.epoch).toBe(1);
  });
});
