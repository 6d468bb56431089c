import type { CompiledSip2Delivery } from './compiled-sip2-delivery.ts';
import { SIP2_STATUS_FLAGS } from '../policy/sip2/sip2-status-flags.ts';

import { NONE, type Direction, type SharingSubject, type SharingTerm } from './sharing-term.ts';

const EXPIRY_RANK: Readonly<Record<CompiledSip2Delivery['expiry'], number>> = { withhold: 0, 'cannot-borrow': 1, date: 2 };
const FINES_RANK: Readonly<Record<CompiledSip2Delivery['fines'], number>> = { withhold: 0, 'cannot-borrow': 1, amount: 2 };

function byRank(before: number, after: number): Direction {
  return after > before ? 'wider' : after < before ? 'narrower' : 'neutral';
}

function flagsOf(c: SharingSubject): ReadonlyArray<string> {
  return (c.identity.sip2?.statusPositions ?? []).map((position) => SIP2_STATUS_FLAGS[position] ?? String(position));
}

/**
 * What a sip2 contract says about the SIP2 answer, beyond its field rules: which status flags
 * pass, the "cannot borrow" generalization, how expiry and fines are expressed and whether a PIN
 * is required. A contract of another delivery describes each as "(none)".
 */
export const SIP2_SHARING_TERMS: ReadonlyArray<SharingTerm> = [
  {
    path: 'identity.sip2.statusFlags',
    describe: (c) => (flagsOf(c).length === 0 ? NONE : flagsOf(c).join(', ')),
    compare: (before, after) => {
      const had = new Set(flagsOf(before));
      const added = flagsOf(after).filter((flag) => !had.has(flag));
      return added.length > 0 ? { direction: 'wider', meaning: `the vendor will see the status flags ${added.join(', ')}` } : { direction: 'narrower', meaning: 'the vendor will see fewer status flags' };
    },
  },
  {
    path: 'identity.sip2.cannotBorrow',
    describe: (c) => (c.identity.sip2 ? String(c.identity.sip2.cannotBorrow) : NONE),
    compare: (_before, after) =>
      after.identity.sip2?.cannotBorrow === true ? { direction: 'wider', meaning: 'the vendor will see whether the patron may borrow' } : { direction: 'narrower', meaning: 'the vendor will no longer see whether the patron may borrow' },
  },
  {
    path: 'identity.sip2.expiry',
    describe: (c) => c.identity.sip2?.expiry ?? NONE,
    compare: (before, after) => ({
      direction: byRank(EXPIRY_RANK[before.identity.sip2?.expiry ?? 'withhold'], EXPIRY_RANK[after.identity.sip2?.expiry ?? 'withhold']),
      meaning: `the card's expiry: ${after.identity.sip2?.expiry ?? 'withhold'}`,
    }),
  },
  {
    path: 'identity.sip2.fines',
    describe: (c) => (c.identity.sip2 ? `${c.identity.sip2.fines}${c.identity.sip2.fineLimit !== undefined ? ` above ${c.identity.sip2.fineLimit}` : ''}` : NONE),
    compare: (before, after) => ({
      direction: byRank(FINES_RANK[before.identity.sip2?.fines ?? 'withhold'], FINES_RANK[after.identity.sip2?.fines ?? 'withhold']),
      meaning: `the patron's fines: ${after.identity.sip2?.fines ?? 'withhold'}`,
    }),
  },
  {
    path: 'identity.sip2.pin',
    describe: (c) => c.identity.sip2?.pin ?? NONE,
    compare: (_before, after) => {
      if (after.identity.sip2 === undefined) return { direction: 'narrower', meaning: 'the vendor no longer looks patrons up over SIP2' };
      return after.identity.sip2.pin === 'required' ? { direction: 'narrower', meaning: 'a lookup without the PIN will get no answer' } : { direction: 'wider', meaning: 'a lookup without the PIN will be answered' };
    },
  },
];
