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
  // Per session (LRU, bounded by `max`), per contract, per consent set: no key string is built on
  // the hot path, and the session id's hash is computed once by the engine.
  const sessions = new LRUCache<string, Map<string, Map<string, Remembered>>>({ max: deps.max });
  return {
    minimize(sessionId, patron, contract, consents, now) {
      const day = Math.floor(now.getTime() / DAY_MS);
      let contracts = sessions.get(sessionId);
      if (contracts === undefined) sessions.set(sessionId, (contracts = new Map()));
      let byConsents = contracts.get(contract.id);
      if (byConsents === undefined) contracts.set(contract.id, (byConsents = new Map()));
      const consentsKey = consents.length === 0 ? '' : consents.join('\u0001');
      const remembered = byConsents.get(consentsKey);
      if (remembered !== undefined && remembered.day === day && remembered.patron === patron) return remembered.result;
      const result = minimize({ ...patron, consents }, contract, deps.pseudonyms, now);
      byConsents.set(consentsKey, { patron, day, result });
      return result;
    },
  };
}

interface Remembered {
  readonly patron: Patron;
  readonly day: number;
  readonly result: MinimizeResult;
}
