/** The field actions a contract rule can name (DESIGN.md, "Field actions"). */
export const ACTIONS = ['pass', 'pseudonymize', 'generalize', 'drop'] as const;

export type ActionName = (typeof ACTIONS)[number];
