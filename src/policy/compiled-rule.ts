import type { ActionName } from './action-names.ts';
import type { CanonicalField } from './canonical-fields.ts';
import type { GeneralizeOptions, Generalization } from './generalizations/generalization.ts';

/** A field rule after validation: every name resolved, every option parsed. Frozen. */
export interface CompiledRule {
  readonly field: CanonicalField;
  readonly action: ActionName;
  /** The name of the value in the vendor view. */
  readonly as: string;
  /** Released only with this consent. */
  readonly consent?: string;
  readonly generalization?: Generalization;
  readonly options: GeneralizeOptions;
  /** Where the rule came from: the contract's `fields`, or its `preset`. */
  readonly origin: 'fields' | 'preset';
}
