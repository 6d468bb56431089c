import { refuseKeys, type FieldAction } from './field-action.ts';

/** Nothing. The default for anything unlisted; writing it documents intent (or narrows a preset). */
export const drop: FieldAction = {
  name: 'drop',
  validate: (_field, rule) => refuseKeys(rule, 'drop', ['to', 'bands', 'as', 'consent']),
  apply: () => ({ outcome: 'withheld' }),
};
