import { rejectBands, type Generalization } from './generalization.ts';

/**
 * address.city -> the city, trimmed. Written on address.city, it documents that of the address only
 * the town is shared. (It applies to that one field so that no other field's rule can release a
 * value the contract withholds.)
 */
export const city: Generalization = {
  name: 'city',
  appliesTo: ['address.city'],
  describe: 'your town or city',
  validate: rejectBands('city'),
  apply(_value, patron) {
    const value = patron.address?.city?.trim();
    return value ? value : undefined;
  },
};
