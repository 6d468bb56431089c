import { rejectBands, type Generalization } from './generalization.ts';

/** address.state -> the state, trimmed and upper-cased (of the address, only the state is shared). */
export const state: Generalization = {
  name: 'state',
  appliesTo: ['address.state'],
  describe: 'your state',
  validate: rejectBands('state'),
  apply(_value, patron) {
    const value = patron.address?.state?.trim();
    return value ? value.toUpperCase() : undefined;
  },
};
