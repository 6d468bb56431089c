import type { CompiledContract } from '../contracts/compiled-contract.ts';
import type { MinorPolicy } from '../policy/minor-policies.ts';
import { readPatronField, type Patron } from '../policy/patron.ts';
import type { ActionContext } from '../policy/actions/field-action.ts';
import type { FieldDecision } from '../policy/field-plan.ts';
import { computeAge } from '../policy/age.ts';
import type { ViewValue } from '../policy/generalizations/generalization.ts';
import type { PseudonymKeys } from '../policy/pseudonyms/pseudonym-keys.ts';

export { FIELD_OUTCOMES, type DecisionReason, type FieldDecision, type FieldOutcome } from '../policy/field-plan.ts';

export type VendorView = Readonly<Record<string, ViewValue>>;

export interface MinimizeResult {
  /**
   * identified: the vendor gets the view; anonymous: the vendor gets nothing about the patron
   * (minors rule `anonymous`); blocked: the patron may not use this vendor (see `block`).
   */
  readonly access: 'identified' | 'anonymous' | 'blocked';
  readonly block?: 'minor-blocked' | 'parental-consent-required';
  /** The minors rule that applied, if any. */
  readonly minorRule?: { readonly group: 'under13' | 'under18'; readonly policy: MinorPolicy; readonly ageKnown: boolean };
  /** Exactly what the vendor receives. */
  readonly view: VendorView;
  /** For every canonical field the patron has, in canonical order. */
  readonly decisions: ReadonlyArray<FieldDecision>;
}

const EMPTY_VIEW: VendorView = Object.freeze({});

/**
 * The pure minimizer: (patron, contract, keys, now) -> vendor view and a decision per field.
 * Default deny: a field without a rule is withheld; a rule with a consent releases only when the
 * patron opted in; the minors policy applies before any rule. A patron whose age cannot be
 * computed (no or invalid birth date) is treated as under 13, so unknown never means adult.
 */
export function minimize(patron: Patron, contract: CompiledContract, keys: PseudonymKeys, now: Date): MinimizeResult {
  const plan = contract.plan;
  const minorRule = findMinorRule(patron, contract, now);
  if (minorRule !== undefined) {
    const policy = minorRule.policy;
    if (policy === 'block' || policy === 'anonymous' || patron.parentalConsent !== true) {
      const decisions: FieldDecision[] = [];
      for (const entry of plan) if (readPatronField(patron, entry.field) !== undefined) decisions.push(entry.minor);
      return {
        access: policy === 'anonymous' ? 'anonymous' : 'blocked',
        ...(policy === 'block' ? { block: 'minor-blocked' as const } : policy === 'parental-consent' ? { block: 'parental-consent-required' as const } : {}),
        minorRule,
        view: EMPTY_VIEW,
        decisions,
      };
    }
  }

  const context: ActionContext = { vendorId: contract.id, keys, now };
  const view: Record<string, ViewValue> = {};
  const decisions: FieldDecision[] = [];
  for (const entry of plan) {
    const value = readPatronField(patron, entry.field);
    if (value === undefined) continue;
    const rule = entry.rule;
    if (rule === undefined || entry.action === undefined) {
      decisions.push(entry.notInContract);
    } else if (rule.action === 'drop') {
      decisions.push(entry.dropped);
    } else if (rule.consent !== undefined && !(patron.consents?.includes(rule.consent) ?? false)) {
      decisions.push(entry.noConsent);
    } else {
      const result = entry.action.apply(value, patron, rule, context);
      if (result.outcome === 'withheld') {
        decisions.push(entry.noValue);
      } else {
        view[rule.as] = result.value;
        decisions.push(entry.decide(result.outcome, 'released'));
      }
    }
  }
  const result: MinimizeResult = minorRule === undefined ? { access: 'identified', view: Object.freeze(view), decisions } : { access: 'identified', minorRule, view: Object.freeze(view), decisions };
  return result;
}

function findMinorRule(patron: Patron, contract: CompiledContract, now: Date): MinimizeResult['minorRule'] {
  const age = patron.birthDate === undefined ? undefined : computeAge(patron.birthDate, now);
  if (age === undefined || age < 13) return { group: 'under13', policy: contract.minors.under13, ageKnown: age !== undefined };
  if (age < 18 && contract.minors.under18 !== undefined) return { group: 'under18', policy: contract.minors.under18, ageKnown: true };
  return undefined;
}

