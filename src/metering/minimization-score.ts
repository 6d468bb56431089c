import type { CompiledContract } from '../contracts/compiled-contract.ts';
import { CANONICAL_FIELDS } from '../policy/canonical-fields.ts';
import type { FieldOutcome } from '../minimize/minimize.ts';

/**
 * The minimization score: how little of a patron a vendor gets, from 0 (every field passed as is)
 * to 1 (nothing leaves). Each field counts by what happens to it:
 *
 *   withheld (any reason) 1 · generalized 0.75 · pseudonymized 0.5 · passed 0
 *
 * A coarse value still says something about the patron; a pseudonym says nothing by itself but
 * links every visit together; a passed value is the patron's own. Two bases:
 *
 * - contract: over the canonical fields, by each field's rule (a consent-gated field counts as
 *   released: the worst case the contract allows);
 * - traffic: over the field decisions actually counted on proxied requests.
 */
export const OUTCOME_WEIGHTS: Readonly<Record<FieldOutcome, number>> = {
  withheld: 1,
  withheld_no_consent: 1,
  withheld_minor: 1,
  generalized: 0.75,
  pseudonymized: 0.5,
  passed: 0,
};

export function scoreContract(contract: CompiledContract): number {
  let total = 0;
  for (const field of CANONICAL_FIELDS) {
    const rule = contract.ruleFor.get(field);
    if (!rule || rule.action === 'drop' || contract.identity.delivery === 'none') total += OUTCOME_WEIGHTS.withheld;
    else if (rule.action === 'generalize') total += OUTCOME_WEIGHTS.generalized;
    else if (rule.action === 'pseudonymize') total += OUTCOME_WEIGHTS.pseudonymized;
    else total += OUTCOME_WEIGHTS.passed;
  }
  return total / CANONICAL_FIELDS.length;
}

/** Score from counted field decisions; undefined before any traffic. */
export function scoreTraffic(counts: Readonly<Partial<Record<FieldOutcome, number>>>): number | undefined {
  let weighted = 0;
  let n = 0;
  for (const [outcome, count] of Object.entries(counts) as Array<[FieldOutcome, number]>) {
    weighted += OUTCOME_WEIGHTS[outcome] * count;
    n += count;
  }
  return n === 0 ? undefined : weighted / n;
}
