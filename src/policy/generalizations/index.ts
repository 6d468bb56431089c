import { ageBand } from './age-band.ts';
import { birthYear } from './birth-year.ts';
import { city } from './city.ts';
import { emailDomain } from './email-domain.ts';
import type { Generalization } from './generalization.ts';
import { isMinor } from './is-minor.ts';
import { isUnder13 } from './is-under13.ts';
import { postalCode3 } from './postal-code3.ts';
import { state } from './state.ts';

/** Every generalization a contract may name in `to:`, by name. */
export const GENERALIZATIONS: ReadonlyMap<string, Generalization> = new Map(
  [birthYear, ageBand, isMinor, isUnder13, postalCode3, city, state, emailDomain].map((g) => [g.name, g]),
);
