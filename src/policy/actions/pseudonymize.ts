import { refuseKeys, type FieldAction, type RuleProblem } from './field-action.ts';

/**
 * A pairwise pseudonym of the patron's internal id: stable for one patron and one vendor,
 * unlinkable across vendors. Only `patronId` can be pseudonymized: barcodes are reissued (a new
 * card would make a new person), and other fields are not identifiers.
 */
export const pseudonymize: FieldAction = {
  name: 'pseudonymize',
  validate(field, rule) {
    const problems: RuleProblem[] = refuseKeys(rule, 'pseudonymize', ['to', 'bands']);
    if (field !== 'patronId') {
      problems.push({
        key: 'action',
        message:
          field === 'barcode'
            ? 'barcodes cannot be pseudonymized: they are reissued when a card is replaced, which would change the pseudonym'
            : `only patronId can be pseudonymized, not ${field}`,
        fix: 'pseudonymize patronId instead (patronId: { action: pseudonymize, as: sub })',
      });
    }
    return problems;
  },
  apply(value, _patron, _rule, context) {
    if (typeof value !== 'string' || value === '') return { outcome: 'withheld' };
    return { outcome: 'pseudonymized', value: context.keys.pseudonymize(context.vendorId, value) };
  },
};
