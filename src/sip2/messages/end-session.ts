import { field, list, type MessageSpec, text, yesNo } from '../message-spec.ts';
import type { MessageBase } from './message-base.ts';

/** 35 End Patron Session (reference 4.5). */
export interface EndPatronSession extends MessageBase {
  readonly code: '35';
  readonly transactionDate: string;
  /** AO */
  readonly institutionId: string;
  /** AA */
  readonly patronIdentifier: string;
  /** AC */
  readonly terminalPassword?: string | undefined;
  /** AD: never logged. */
  readonly patronPassword?: string | undefined;
}

/** 36 End Session Response. */
export interface EndSessionResponse extends MessageBase {
  readonly code: '36';
  readonly endSession: boolean;
  readonly transactionDate: string;
  /** AO */
  readonly institutionId: string;
  /** AA */
  readonly patronIdentifier: string;
  /** AF */
  readonly screenMessages: ReadonlyArray<string>;
  /** AG */
  readonly printLines: ReadonlyArray<string>;
}

export const END_PATRON_SESSION_SPEC: MessageSpec = {
  code: '35',
  name: 'end patron session',
  fixed: [text('transactionDate', 18)],
  variable: [field('AO', 'institutionId', true), field('AA', 'patronIdentifier', true), field('AC', 'terminalPassword'), field('AD', 'patronPassword')],
  sequenced: true,
};

export const END_SESSION_RESPONSE_SPEC: MessageSpec = {
  code: '36',
  name: 'end session response',
  fixed: [yesNo('endSession'), text('transactionDate', 18)],
  variable: [field('AO', 'institutionId', true), field('AA', 'patronIdentifier', true), list('AF', 'screenMessages'), list('AG', 'printLines')],
  sequenced: true,
};
