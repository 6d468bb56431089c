import { rejectBands, type Generalization } from './generalization.ts';

/** Any part of the address -> only the city. Lets a contract say "street address, reduced to the city". */
export const city: Generalization = {
  name: 'city',
  appliesTo: ['address.street', 'address.postalCode', 'address.city'],
  describe: 'your town or city',
  validate: rejectBands('city'),
  apply(_value, patron) {
    const value = patron.address?.city?.trim();
    return value ? value : undefined;
  },
};
