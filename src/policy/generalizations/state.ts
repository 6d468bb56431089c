import { rejectBands, type Generalization } from './generalization.ts';

/** Any part of the address -> only the state. */
export const state: Generalization = {
  name: 'state',
  appliesTo: ['address.street', 'address.postalCode', 'address.city', 'address.state'],
  describe: 'your state',
  validate: rejectBands('state'),
  apply(_value, patron) {
    const value = patron.address?.state?.trim();
    return value ? value.toUpperCase() : undefined;
  },
};
