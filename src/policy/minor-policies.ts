/** What a contract does for patrons under 13 (and optionally under 18). */
export const MINOR_POLICIES = ['block', 'parental-consent', 'anonymous'] as const;

export type MinorPolicy = (typeof MINOR_POLICIES)[number];
