import { listChoices } from '../../lib/problem.ts';
import { suggestName } from '../../lib/suggest-name.ts';
import { GENERALIZATIONS } from '../generalizations/index.ts';
import type { FieldAction, RuleProblem } from './field-action.ts';

/** A coarser value, computed by the generalization named in `to:`. */
export const generalize: FieldAction = {
  name: 'generalize',
  validate(field, rule) {
    const problems: RuleProblem[] = [];
    const applicable = [...GENERALIZATIONS.values()].filter((g) => g.appliesTo.includes(field)).map((g) => g.name);
    if (rule.to === undefined) {
      problems.push({
        key: 'to',
        message: 'generalize needs "to:" naming the coarser value',
        fix: applicable.length > 0 ? `add to: with ${listChoices(applicable)}` : `${field} has no generalization; use pass, pseudonymize or drop`,
      });
      return problems;
    }
    const generalization = GENERALIZATIONS.get(rule.to);
    if (!generalization) {
      // Suggest among the ones that fit this field first, then among all of them.
      const suggestion = suggestName(rule.to, applicable) ?? suggestName(rule.to, GENERALIZATIONS.keys());
      problems.push({
        key: 'to',
        message: `"${rule.to}" is not a generalization`,
        fix: `${suggestion !== undefined ? `did you mean "${suggestion}"? Otherwise ` : ''}${applicable.length > 0 ? `use ${listChoices(applicable)} for ${field}` : `${field} has no generalization; use pass or drop`}`,
      });
      return problems;
    }
    if (!generalization.appliesTo.includes(field)) {
      problems.push({
        key: 'to',
        message: `${rule.to} does not apply to ${field} (it applies to ${generalization.appliesTo.join(', ')})`,
        fix: applicable.length > 0 ? `use ${listChoices(applicable)} for ${field}` : `${field} has no generalization; use pass or drop`,
      });
      return problems;
    }
    for (const { message, fix } of generalization.validate({ bands: rule.bands })) problems.push({ key: 'bands', message, fix });
    return problems;
  },
  apply(value, patron, rule, context) {
    const generalized = rule.generalization?.apply(value, patron, context.now, rule.options);
    return generalized === undefined ? { outcome: 'withheld' } : { outcome: 'generalized', value: generalized };
  },
};
