import { computeAge } from '../age.ts';
import { rejectBands, type Generalization } from './generalization.ts';

/** birthDate -> true when the patron is under 18 today. */
export const isMinor: Generalization = {
  name: 'isMinor',
  appliesTo: ['birthDate'],
  describe: 'whether you are under 18',
  validate: rejectBands('isMinor'),
  apply(value, _patron, now) {
    if (typeof value !== 'string') return undefined;
    const age = computeAge(value, now);
    return age === undefined ? undefined : age < 18;
  },
};
