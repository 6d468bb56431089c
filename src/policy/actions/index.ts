import type { ActionName } from '../action-names.ts';
import { drop } from './drop.ts';
import type { FieldAction } from './field-action.ts';
import { generalize } from './generalize.ts';
import { pass } from './pass.ts';
import { pseudonymize } from './pseudonymize.ts';

/** Every field action, by the name contracts use. */
export const ACTIONS_BY_NAME: Readonly<Record<ActionName, FieldAction>> = Object.freeze({ pass, pseudonymize, generalize, drop });
