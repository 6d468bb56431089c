import { createPseudonymKeys } from './pseudonym-keys.ts';

/** What a vendor needs to carry its records from one pseudonym epoch to the next. */
export interface PseudonymMap {
  readonly vendor: string;
  readonly fromEpoch: number;
  readonly toEpoch: number;
  /**
   * [pseudonym at fromEpoch, pseudonym at toEpoch], one per patron, sorted by the old pseudonym
   * (so the order tells nothing about the patron list it came from). Nothing else about a patron.
   */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
}

/**
 * The old -> new pseudonym of every patron id for one vendor, computed with the same function the
 * minimizer uses at each epoch. Duplicate ids count once. Pure: the caller reads the ids and the
 * secret, and seals the result for the vendor.
 */
export function buildPseudonymMap(options: { masterSecret: Uint8Array; vendor: string; fromEpoch: number; toEpoch: number; patronIds: Iterable<string> }): PseudonymMap {
  // No cache: each id is computed once per epoch, and a cache would only hold pseudonyms longer.
  const from = createPseudonymKeys({ masterSecret: options.masterSecret, epoch: options.fromEpoch, cacheSize: 1, pseudonymCacheSize: 0 });
  const to = createPseudonymKeys({ masterSecret: options.masterSecret, epoch: options.toEpoch, cacheSize: 1, pseudonymCacheSize: 0 });
  const pairs = new Map<string, string>();
  for (const id of options.patronIds) {
    const old = from.pseudonymize(options.vendor, id);
    if (!pairs.has(old)) pairs.set(old, to.pseudonymize(options.vendor, id));
  }
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.freeze({ vendor: options.vendor, fromEpoch: options.fromEpoch, toEpoch: options.toEpoch, pairs: sorted });
}
