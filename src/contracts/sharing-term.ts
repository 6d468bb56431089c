import type { CompiledContract } from './compiled-contract.ts';

/** Whether a change lets more about patrons leave (wider), less (narrower), or neither. */
export type Direction = 'wider' | 'narrower' | 'neutral';

/** What the terms read: a compiled contract, before its notice version (computed from the terms) is added. */
export type SharingSubject = Omit<CompiledContract, 'noticeVersion'>;

/**
 * One thing a contract says about what leaves, where it goes or how. Two contracts share alike on
 * a term exactly when `describe` gives the same text for both; `compare` is asked only then they
 * differ, and says which way.
 */
export interface SharingTerm {
  /** Dotted path of what the term is about (`fields.birthDate`, `upstream.hosts`). */
  readonly path: string;
  /** A canonical description: equal exactly when the term shares alike. Shown in the diff. */
  readonly describe: (contract: SharingSubject) => string;
  readonly compare: (before: SharingSubject, after: SharingSubject) => { readonly direction: Direction; readonly meaning: string };
}

/**
 * Terms the diff lists (neutral) and the notice version leaves out: when the contract is in force
 * (renewing a contract does not ask every patron again), a client's registration.
 */
export interface PeriodTerm {
  readonly path: string;
  readonly describe: (contract: SharingSubject) => string;
  readonly meaning: string;
}

/** How a term with nothing to say describes itself. */
export const NONE = '(none)';

/** A list as one canonical text: sorted, comma-separated, or NONE. */
export function listOrNone(items: ReadonlyArray<string>): string {
  return items.length === 0 ? NONE : [...items].sort().join(', ');
}

/** Items of `after` that `before` does not have, from two descriptions made by listOrNone. */
export function addedItems(before: string, after: string): string[] {
  const had = new Set(before.split(', '));
  return after === NONE ? [] : after.split(', ').filter((item) => !had.has(item));
}

/** A set-valued term: anything added widens (even alongside removals); only removals narrow. */
export function setTerm(path: string, items: (c: SharingSubject) => ReadonlyArray<string>, wider: (added: string[]) => string, narrower: string): SharingTerm {
  return {
    path,
    describe: (c) => listOrNone(items(c)),
    compare: (before, after) => {
      const added = addedItems(listOrNone(items(before)), listOrNone(items(after)));
      return added.length > 0 ? { direction: 'wider', meaning: wider(added) } : { direction: 'narrower', meaning: narrower };
    },
  };
}
