import { computeAge } from '../age.ts';
import { DEFAULT_AGE_BANDS, findAgeBand, parseAgeBands, type AgeBand } from '../age-bands.ts';
import type { Generalization } from './generalization.ts';

const defaultBands: ReadonlyArray<AgeBand> = (() => {
  const parsed = parseAgeBands(DEFAULT_AGE_BANDS);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.bands;
})();

/** birthDate -> the age band the patron falls in today (default bands 0-5, 6-11, 12-17, 18-64, 65+). */
export const ageBand: Generalization = {
  name: 'ageBand',
  appliesTo: ['birthDate'],
  describe: 'your age group',
  validate(options) {
    if (options.bands === undefined) return [];
    const parsed = parseAgeBands(options.bands);
    return 'error' in parsed
      ? [{ message: parsed.error, fix: 'write bands from 0 upwards without gaps, ending open, such as ["0-12", "13-17", "18-64", "65+"]' }]
      : [];
  },
  apply(value, _patron, now, options) {
    if (typeof value !== 'string') return undefined;
    const age = computeAge(value, now);
    return age === undefined ? undefined : findAgeBand(options.bands ?? defaultBands, age);
  },
};
