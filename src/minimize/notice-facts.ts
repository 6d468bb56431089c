import type { CompiledContract } from '../contracts/compiled-contract.ts';
import type { CanonicalField } from '../policy/canonical-fields.ts';
import type { Patron } from '../policy/patron.ts';
import type { ViewValue } from '../policy/generalizations/generalization.ts';
import { minimize, type MinimizeResult } from './minimize.ts';
import type { PseudonymKeys } from '../policy/pseudonyms/pseudonym-keys.ts';

/** One thing a vendor receives about this patron, with the patron's own minimized value. */
export interface ReleasedFact {
  readonly field: CanonicalField;
  /** The name in the vendor view. */
  readonly as: string;
  readonly kind: 'pseudonym' | 'generalized' | 'passed';
  readonly generalization?: string;
  readonly value: ViewValue;
}

/** An optional release: sent only if the patron ticks its consent. */
export interface OptionalFact extends ReleasedFact {
  readonly consent: string;
}

/**
 * What a notice says, computed from the same contract and minimizer the proxy enforces, so a
 * notice can never claim less than what is sent. Pure.
 */
export interface NoticeFacts {
  readonly access: MinimizeResult['access'];
  readonly block?: MinimizeResult['block'];
  /** Sent whatever the patron chooses (when access is identified). */
  readonly receives: ReadonlyArray<ReleasedFact>;
  /** Sent only with the named consent. */
  readonly optional: ReadonlyArray<OptionalFact>;
  /** Fields the patron has that this vendor will not receive. */
  readonly notReceived: ReadonlyArray<CanonicalField>;
}

/** Every consent a contract's rules name. */
export function listContractConsents(contract: CompiledContract): string[] {
  return [...new Set(contract.rules.flatMap((r) => (r.action !== 'drop' && r.consent ? [r.consent] : [])))];
}

function toFact(result: MinimizeResult, field: CanonicalField): ReleasedFact | undefined {
  const decision = result.decisions.find((d) => d.field === field);
  if (!decision || decision.reason !== 'released' || decision.as === undefined) return undefined;
  const value = result.view[decision.as];
  if (value === undefined) return undefined;
  return {
    field,
    as: decision.as,
    kind: decision.outcome === 'pseudonymized' ? 'pseudonym' : decision.outcome === 'generalized' ? 'generalized' : 'passed',
    ...(decision.generalization ? { generalization: decision.generalization } : {}),
    value,
  };
}

export function computeNoticeFacts(patron: Patron, contract: CompiledContract, keys: PseudonymKeys, now: Date): NoticeFacts {
  const base = minimize({ ...patron, consents: [] }, contract, keys, now);
  const all = minimize({ ...patron, consents: listContractConsents(contract) }, contract, keys, now);
  const receives: ReleasedFact[] = [];
  const optional: OptionalFact[] = [];
  const notReceived: CanonicalField[] = [];
  for (const decision of base.decisions) {
    const fact = toFact(base, decision.field);
    if (fact) {
      receives.push(fact);
      continue;
    }
    const withConsent = decision.outcome === 'withheld_no_consent' ? toFact(all, decision.field) : undefined;
    if (withConsent && decision.consent) optional.push({ ...withConsent, consent: decision.consent });
    else notReceived.push(decision.field);
  }
  return { access: base.access, ...(base.block ? { block: base.block } : {}), receives, optional, notReceived };
}
