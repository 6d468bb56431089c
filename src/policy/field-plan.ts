import { ACTIONS_BY_NAME } from './actions/index.ts';
import type { FieldAction } from './actions/field-action.ts';
import { CANONICAL_FIELDS, type CanonicalField } from './canonical-fields.ts';
import type { CompiledRule } from './compiled-rule.ts';

/** What happened to one field the patron has. These names are also metric label values. */
export const FIELD_OUTCOMES = ['passed', 'pseudonymized', 'generalized', 'withheld', 'withheld_no_consent', 'withheld_minor'] as const;
export type FieldOutcome = (typeof FIELD_OUTCOMES)[number];

/** Why a field was withheld (or `released`). */
export type DecisionReason = 'released' | 'not-in-contract' | 'dropped' | 'no-consent' | 'minor' | 'no-value-in-that-form';

export interface FieldDecision {
  readonly field: CanonicalField;
  readonly outcome: FieldOutcome;
  readonly reason: DecisionReason;
  /** Name in the vendor view, when released. */
  readonly as?: string;
  /** The rule's action and generalization, when the contract has a rule for the field. */
  readonly action?: string;
  readonly generalization?: string;
  /** The consent the rule needs, if any. */
  readonly consent?: string;
}

/**
 * The minimizer's plan for one contract, built once when the contract is compiled: per canonical
 * field, its rule and action, and every decision it can produce, frozen, so the hot loop
 * allocates only the view and the decision list (and every request's decisions are the same
 * objects, which metering counts by identity).
 */
export interface FieldPlan {
  readonly field: CanonicalField;
  readonly rule: CompiledRule | undefined;
  readonly action: FieldAction | undefined;
  readonly decide: (outcome: FieldOutcome, reason: DecisionReason) => FieldDecision;
  readonly notInContract: FieldDecision;
  readonly dropped: FieldDecision;
  readonly noConsent: FieldDecision;
  readonly minor: FieldDecision;
  readonly noValue: FieldDecision;
}

/** The plan for a contract's rules, in canonical field order. */
export function planFields(ruleFor: ReadonlyMap<CanonicalField, CompiledRule>): ReadonlyArray<FieldPlan> {
  return Object.freeze(
    CANONICAL_FIELDS.map((field) => {
      const rule = ruleFor.get(field);
      const memo = new Map<string, FieldDecision>();
      const decide = (outcome: FieldOutcome, reason: DecisionReason): FieldDecision => {
        const key = `${outcome}|${reason}`;
        let decision = memo.get(key);
        if (decision === undefined) {
          decision = Object.freeze(buildDecision(rule, field, outcome, reason));
          memo.set(key, decision);
        }
        return decision;
      };
      return Object.freeze({
        field,
        rule,
        action: rule === undefined ? undefined : ACTIONS_BY_NAME[rule.action],
        decide,
        notInContract: decide('withheld', 'not-in-contract'),
        dropped: decide('withheld', 'dropped'),
        noConsent: decide('withheld_no_consent', 'no-consent'),
        minor: decide('withheld_minor', 'minor'),
        noValue: decide('withheld', 'no-value-in-that-form'),
      });
    }),
  );
}

function buildDecision(rule: CompiledRule | undefined, field: CanonicalField, outcome: FieldOutcome, reason: DecisionReason): FieldDecision {
  if (rule === undefined) return { field, outcome, reason };
  return {
    field,
    outcome,
    reason,
    action: rule.action,
    ...(reason === 'released' ? { as: rule.as } : {}),
    ...(rule.generalization ? { generalization: rule.generalization.name } : {}),
    ...(rule.consent ? { consent: rule.consent } : {}),
  };
}
