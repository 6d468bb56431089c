import { rejectBands, type Generalization } from './generalization.ts';

/** email -> the part after the last `@`, lower-cased (`Ana@Example.org` -> `example.org`). */
export const emailDomain: Generalization = {
  name: 'emailDomain',
  appliesTo: ['email'],
  describe: 'the domain of your email address (the part after @)',
  validate: rejectBands('emailDomain'),
  apply(value) {
    if (typeof value !== 'string') return undefined;
    const at = value.lastIndexOf('@');
    if (at <= 0 || at === value.length - 1) return undefined;
    return value.slice(at + 1).toLowerCase();
  },
};
