import type { CanonicalField } from '../canonical-fields.ts';
import type { Patron, PatronValue } from '../patron.ts';
import type { AgeBand } from '../age-bands.ts';

/** A value as it appears in a vendor view. */
export type ViewValue = string | number | boolean | readonly string[];

/** Rule options a generalization may use, already checked and parsed at startup. */
export interface GeneralizeOptions {
  readonly bands?: ReadonlyArray<AgeBand>;
}

/**
 * A generalization turns a precise value into a coarser one. Every generalization has the same
 * shape: a name (used in contracts as `to:`), the fields it applies to, a validate step run at
 * startup on the rule's raw options, and a pure apply.
 */
export interface Generalization {
  readonly name: string;
  readonly appliesTo: ReadonlyArray<CanonicalField>;
  /** What the patron is told the vendor gets, e.g. "your age group". */
  readonly describe: string;
  /** Problems with the rule's options (for example custom age bands); empty when fine. */
  validate(options: { readonly bands?: ReadonlyArray<string> | undefined }): Array<{ message: string; fix: string }>;
  /** The coarser value, or undefined when there is none to give (then the field is withheld). */
  apply(value: PatronValue, patron: Patron, now: Date, options: GeneralizeOptions): ViewValue | undefined;
}

export function rejectBands(name: string) {
  return (options: { readonly bands?: ReadonlyArray<string> | undefined }): Array<{ message: string; fix: string }> =>
    options.bands === undefined ? [] : [{ message: `"bands" only applies to ageBand, not ${name}`, fix: 'remove "bands", or use to: ageBand' }];
}
