import type { FieldRule } from '../field-rule.ts';
import type { CanonicalField } from '../canonical-fields.ts';
import type { Patron, PatronValue } from '../patron.ts';
import type { CompiledRule } from '../compiled-rule.ts';
import type { ViewValue } from '../generalizations/generalization.ts';
import type { PseudonymKeys } from '../pseudonyms/pseudonym-keys.ts';

export interface ActionContext {
  readonly vendorId: string;
  readonly keys: PseudonymKeys;
  readonly now: Date;
}

export type ActionResult =
  | { readonly outcome: 'passed' | 'pseudonymized' | 'generalized'; readonly value: ViewValue }
  /** There was nothing to give in this form (for example a postal code that is not a US ZIP). */
  | { readonly outcome: 'withheld' };

/** A problem with one rule: the key inside the rule (`to`, `bands`, ...), what is wrong, how to fix it. */
export interface RuleProblem {
  readonly key: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * A field action: what a contract rule's `action:` names. Every action has the same shape: a
 * name, a validate step run at startup on the rule as written, and a pure apply.
 */
export interface FieldAction {
  readonly name: CompiledRule['action'];
  validate(field: CanonicalField, rule: FieldRule): RuleProblem[];
  apply(value: PatronValue, patron: Patron, rule: CompiledRule, context: ActionContext): ActionResult;
}

/** Problems for rule keys an action does not use. */
export function refuseKeys(rule: FieldRule, action: string, keys: ReadonlyArray<'to' | 'bands' | 'as' | 'consent'>): RuleProblem[] {
  return keys
    .filter((key) => rule[key] !== undefined)
    .map((key) => ({ key, message: `"${key}" does not apply to action ${action}`, fix: `remove "${key}", or use action generalize` }));
}
