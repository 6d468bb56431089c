import { field, flag, list, type MessageSpec, text } from '../message-spec.ts';
import type { PatronStatus } from '../patron-status.ts';
import type { MessageBase } from './message-base.ts';

/** 23 Patron Status Request (reference 4.3). */
export interface PatronStatusRequest extends MessageBase {
  readonly code: '23';
  /** 3 digits (languages.ts). */
  readonly language: string;
  /** 18-character date. */
  readonly transactionDate: string;
  /** AO */
  readonly institutionId: string;
  /** AA */
  readonly patronIdentifier: string;
  /** AC (absent and empty differ on the wire; both are kept as read) */
  readonly terminalPassword?: string | undefined;
  /** AD: the PIN. Never logged. */
  readonly patronPassword?: string | undefined;
}

/** 24 Patron Status Response (also the answer to 01). */
export interface PatronStatusResponse extends MessageBase {
  readonly code: '24';
  readonly patronStatus: PatronStatus;
  readonly language: string;
  readonly transactionDate: string;
  /** AO */
  readonly institutionId: string;
  /** AA */
  readonly patronIdentifier: string;
  /** AE: always rendered, empty when blank. */
  readonly personalName: string;
  /** BL: undefined when absent (or not Y/N): "unknown", never "valid". */
  readonly validPatron?: boolean | undefined;
  /** CQ: undefined when absent: "not checked". */
  readonly validPatronPassword?: boolean | undefined;
  /** BH */
  readonly currencyType?: string | undefined;
  /** BV */
  readonly feeAmount?: string | undefined;
  /** AF */
  readonly screenMessages: ReadonlyArray<string>;
  /** AG */
  readonly printLines: ReadonlyArray<string>;
}

const PATRON_STATUS_FIELD = { name: 'patronStatus', kind: 'patron-status', length: 14 } as const;

export const PATRON_STATUS_REQUEST_SPEC: MessageSpec = {
  code: '23',
  name: 'patron status',
  fixed: [text('language', 3), text('transactionDate', 18)],
  variable: [field('AO', 'institutionId', true), field('AA', 'patronIdentifier', true), field('AC', 'terminalPassword'), field('AD', 'patronPassword')],
  sequenced: true,
};

export const PATRON_STATUS_RESPONSE_SPEC: MessageSpec = {
  code: '24',
  name: 'patron status response',
  fixed: [PATRON_STATUS_FIELD, text('language', 3), text('transactionDate', 18)],
  variable: [
    field('AO', 'institutionId', true),
    field('AA', 'patronIdentifier', true),
    field('AE', 'personalName', true),
    flag('BL', 'validPatron'),
    flag('CQ', 'validPatronPassword'),
    field('BH', 'currencyType'),
    field('BV', 'feeAmount'),
    list('AF', 'screenMessages'),
    list('AG', 'printLines'),
  ],
  sequenced: true,
};

export { PATRON_STATUS_FIELD };
