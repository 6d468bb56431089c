import type { FieldRuleDocument } from './contract-schema.ts';

/**
 * The REFEDS access bundles, in canonical fields. A contract's `fields` extends or narrows its
 * preset (a rule with `action: drop` removes a preset field).
 *
 * - anonymous: the vendor learns only that the request comes through the library.
 * - pseudonymous: a pairwise pseudonym (`sub`) and the patron type (REFEDS affiliation).
 * - personalized: also name and email (REFEDS personalized access).
 */
export const PRESET_FIELDS: Readonly<Record<'anonymous' | 'pseudonymous' | 'personalized', Readonly<Record<string, FieldRuleDocument>>>> = {
  anonymous: {},
  pseudonymous: {
    patronId: { action: 'pseudonymize', as: 'sub' },
    patronType: { action: 'pass' },
  },
  personalized: {
    patronId: { action: 'pseudonymize', as: 'sub' },
    patronType: { action: 'pass' },
    firstName: { action: 'pass' },
    lastName: { action: 'pass' },
    email: { action: 'pass' },
  },
};
