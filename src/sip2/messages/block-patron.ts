import { field, type MessageSpec, text, yesNo } from '../message-spec.ts';
import type { MessageBase } from './message-base.ts';

/**
 * 01 Block Patron (reference 4.6): the ACS invalidates the card and answers with a 24. Parsed so
 * that a mediator can recognise and refuse it; never forwarded.
 */
export interface BlockPatron extends MessageBase {
  readonly code: '01';
  readonly cardRetained: boolean;
  readonly transactionDate: string;
  /** AO */
  readonly institutionId: string;
  /** AL */
  readonly blockedCardMessage: string;
  /** AA */
  readonly patronIdentifier: string;
  /** AC */
  readonly terminalPassword?: string | undefined;
}

export const BLOCK_PATRON_SPEC: MessageSpec = {
  code: '01',
  name: 'block patron',
  fixed: [yesNo('cardRetained'), text('transactionDate', 18)],
  variable: [field('AO', 'institutionId', true), field('AL', 'blockedCardMessage', true), field('AA', 'patronIdentifier', true), field('AC', 'terminalPassword')],
  sequenced: true,
};
