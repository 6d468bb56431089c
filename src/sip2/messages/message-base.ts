import type { RawField } from '../fields.ts';

/** What every parsed message carries besides its own fields. */
export interface MessageBase {
  /**
   * Fields the message type does not define (vendor extensions such as PB, PC, XI, site codes),
   * duplicates of single fields, and flags with values other than Y/N, in wire order. Kept apart
   * so that no renderer can copy them by accident: rendering ignores this list.
   */
  readonly unknown?: ReadonlyArray<RawField>;
}
