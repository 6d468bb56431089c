import { computeAge } from '../age.ts';
import { rejectBands, type Generalization } from './generalization.ts';

/** birthDate -> the year of birth, as a number. */
export const birthYear: Generalization = {
  name: 'birthYear',
  appliesTo: ['birthDate'],
  describe: 'your year of birth',
  validate: rejectBands('birthYear'),
  apply(value, _patron, now) {
    if (typeof value !== 'string' || computeAge(value, now) === undefined) return undefined;
    return Number(value.slice(0, 4));
  },
};
