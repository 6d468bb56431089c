/**
 * How one SIP2 message type is laid out: its fixed part (fields by position and length) and its
 * variable part (field IDs, in the order they are rendered). The generic parser and renderer
 * (parse-message.ts, render-message.ts) read these tables; the typed interfaces beside each table
 * (messages/) name the same properties.
 */

export type FixedFieldKind =
  /** Any characters, exactly `length` of them. */
  | 'text'
  /** One character, `Y` (true) or `N` (false); anything else reads as false. */
  | 'yes-no'
  /** One character, `1` (true) or `0` (false), as in the 94. */
  | 'one-zero'
  /** Four digits, or four blanks for "unknown" (undefined). */
  | 'count'
  /** The 14 patron status flags. */
  | 'patron-status';

export interface FixedFieldSpec {
  readonly name: string;
  readonly kind: FixedFieldKind;
  readonly length: number;
}

export type VariableFieldKind =
  /** A string; `required` ones are always rendered (empty when blank) and read as '' when absent. */
  | 'text'
  /** `Y`/`N` as a boolean; any other value is kept as unknown, so the field reads as absent. */
  | 'yes-no'
  /** A repeatable field, as an array in wire order. */
  | 'list';

export interface VariableFieldSpec {
  readonly id: string;
  readonly name: string;
  readonly kind: VariableFieldKind;
  readonly required?: boolean;
}

export interface MessageSpec {
  readonly code: string;
  readonly name: string;
  readonly fixed: ReadonlyArray<FixedFieldSpec>;
  readonly variable: ReadonlyArray<VariableFieldSpec>;
  /** False for 97 and 96, which never carry AY (only AZ when checksums are on). */
  readonly sequenced: boolean;
}

/** Shorthands for the tables. */
export const text = (name: string, length: number): FixedFieldSpec => ({ name, kind: 'text', length });
export const yesNo = (name: string): FixedFieldSpec => ({ name, kind: 'yes-no', length: 1 });
export const count = (name: string): FixedFieldSpec => ({ name, kind: 'count', length: 4 });
export const field = (id: string, name: string, required = false): VariableFieldSpec => ({ id, name, kind: 'text', required });
export const flag = (id: string, name: string): VariableFieldSpec => ({ id, name, kind: 'yes-no' });
export const list = (id: string, name: string): VariableFieldSpec => ({ id, name, kind: 'list' });
