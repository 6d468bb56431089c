import { computeAge } from '../age.ts';
import { rejectBands, type Generalization } from './generalization.ts';

/** birthDate -> true when the patron is under 13 today (COPPA). */
export const isUnder13: Generalization = {
  name: 'isUnder13',
  appliesTo: ['birthDate'],
  describe: 'whether you are under 13',
  validate: rejectBands('isUnder13'),
  apply(value, _patron, now) {
    if (typeof value !== 'string') return undefined;
    const age = computeAge(value, now);
    return age === undefined ? undefined : age < 13;
  },
};
