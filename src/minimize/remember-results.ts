import { LRUCache } from 'lru-cache';
import type { CompiledContract } from '../contracts/compiled-contract.ts';
import type { Patron } from '../policy/patron.ts';
import type { PseudonymKeys } from '../policy/pseudonyms/pseudonym-keys.ts';
import { minimize, type MinimizeResult } from './minimize.ts';

const DAY_MS = 86_400_000;

/** The minimizer with a memory: the same session, vendor and consents give the same result all day. */
export interface RememberedMinimizer {
  minimize(sessionId: string, patron: Patron, contract: CompiledContract, consents: ReadonlyArray<string>, now: Date): MinimizeResult;
}

/**
 * Remembers minimizer results per (session, contract, consents) for the UTC day they were made
 * on (ages change at midnight UTC, nothing else in a result depends on the clock), and for the
 * patron record they were made from (a refreshed record is minimized again). Bounded LRU in
 * memory: results hold pseudonyms and generalized values, never kept beyond `max` sessions' worth.
 * The same result object coming back is what lets later caches (the signed assertion) key on it.
 */
export function createRememberedMinimizer(deps: { pseudonyms: PseudonymKeys; max: number }): RememberedMinimizer {
  const results = new LRUCache<string, { readonly patron: Patron; readonly day: number; readonly result: MinimizeResult }>({ max: deps.max });
  return {
    minimize(sessionId, patron, contract, consents, now) {
      const day = Math.floor(now.getTime() / DAY_MS);
      const key = `${sessionId}\u0000${contract.id}\u0000${consents.join('\u0001')}`;
      const remembered = results.get(key);
      if (remembered !== undefined && remembered.day === day && remembered.patron === patron) return remembered.result;
      const result = minimize({ ...patron, consents }, contract, deps.pseudonyms, now);
      results.set(key, { patron, day, result });
      return result;
    },
  };
}
