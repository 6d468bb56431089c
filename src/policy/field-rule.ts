import type { ActionName } from './action-names.ts';

/** One field rule as written in a contract: what a vendor gets of one canonical patron field. */
export interface FieldRule {
  readonly action: ActionName;
  /** generalize only: the generalization's name. */
  readonly to?: string | undefined;
  /** The value's name in the vendor view. */
  readonly as?: string | undefined;
  /** Released only with this named consent. */
  readonly consent?: string | undefined;
  /** ageBand only: the bands, in order from 0. */
  readonly bands?: ReadonlyArray<string> | undefined;
}
