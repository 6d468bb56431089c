import { refuseKeys, type FieldAction } from './field-action.ts';

/** The value as is. Only for fields the contract names. */
export const pass: FieldAction = {
  name: 'pass',
  validate: (_field, rule) => refuseKeys(rule, 'pass', ['to', 'bands']),
  apply: (value) => ({ outcome: 'passed', value }),
};
