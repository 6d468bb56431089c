import type { Messages } from './messages/messages.ts';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import type { FieldDecision } from '../minimize/minimize.ts';
import type { ReleasedFact } from '../minimize/notice-facts.ts';

/** How a released value is named to the patron: "your age group", "a random ID used only with this service". */
export function describeRelease(m: Messages, fact: Pick<ReleasedFact, 'kind' | 'field' | 'generalization'>): string {
  if (fact.kind === 'pseudonym') return m.released.pseudonym;
  if (fact.kind === 'generalized' && fact.generalization) return m.released.generalizations[fact.generalization] ?? fact.generalization;
  return m.fields[fact.field] ?? fact.field;
}

/** A view value as the patron reads it. */
export function formatViewValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** How a rule releases its field, in the terms describeRelease takes. */
export function describeRule(m: Messages, rule: CompiledRule): string {
  const kind = rule.action === 'pseudonymize' ? 'pseudonym' : rule.action === 'generalize' ? 'generalized' : 'passed';
  return describeRelease(m, { field: rule.field, kind, ...(rule.generalization ? { generalization: rule.generalization.name } : {}) });
}

/** How a released decision is described. */
export function describeDecision(m: Messages, decision: FieldDecision): string {
  const kind = decision.outcome === 'pseudonymized' ? 'pseudonym' : decision.outcome === 'generalized' ? 'generalized' : 'passed';
  return describeRelease(m, { field: decision.field, kind, ...(decision.generalization ? { generalization: decision.generalization } : {}) });
}
