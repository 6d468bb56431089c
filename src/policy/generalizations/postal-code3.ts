import { RESTRICTED_ZIP3 } from '../restricted-zip3.ts';
import { rejectBands, type Generalization } from './generalization.ts';

/**
 * address.postalCode -> the first three digits of a US ZIP code (`06880` -> `068`, `06880-1234`
 * -> `068`); prefixes of areas under 20,000 people become `000`. Anything that is not a US ZIP
 * code is withheld rather than guessed at.
 */
export const postalCode3: Generalization = {
  name: 'postalCode3',
  appliesTo: ['address.postalCode'],
  describe: 'the first three digits of your ZIP code',
  validate: rejectBands('postalCode3'),
  apply(value) {
    if (typeof value !== 'string' || !/^\d{5}(?:-?\d{4})?$/.test(value)) return undefined;
    const prefix = value.slice(0, 3);
    return RESTRICTED_ZIP3.has(prefix) ? '000' : prefix;
  },
};
