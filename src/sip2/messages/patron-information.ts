import { count, field, flag, list, type MessageSpec, text } from '../message-spec.ts';
import type { PatronStatus } from '../patron-status.ts';
import type { MessageBase } from './message-base.ts';
import { PATRON_STATUS_FIELD } from './patron-status-messages.ts';

/** The 10 blanks of a summary that asks for no item list. */
export const BLANK_SUMMARY = ' '.repeat(10);

/** 63 Patron Information (reference 4.4). */
export interface PatronInformationRequest extends MessageBase {
  readonly code: '63';
  readonly language: string;
  readonly transactionDate: string;
  /** 10 characters; a `Y` picks an item list (reading history): send BLANK_SUMMARY. */
  readonly summary: string;
  /** AO */
  readonly institutionId: string;
  /** AA */
  readonly patronIdentifier: string;
  /** AC */
  readonly terminalPassword?: string | undefined;
  /** AD: the PIN. Never logged. */
  readonly patronPassword?: string | undefined;
  /** BP */
  readonly startItem?: string | undefined;
  /** BQ */
  readonly endItem?: string | undefined;
}

/** 64 Patron Information Response. */
export interface PatronInformationResponse extends MessageBase {
  readonly code: '64';
  readonly patronStatus: PatronStatus;
  readonly language: string;
  readonly transactionDate: string;
  /** The six counts: undefined when the ACS sent four blanks ("unknown"). */
  readonly holdItemsCount?: number | undefined;
  readonly overdueItemsCount?: number | undefined;
  readonly chargedItemsCount?: number | undefined;
  readonly fineItemsCount?: number | undefined;
  readonly recallItemsCount?: number | undefined;
  readonly unavailableHoldsCount?: number | undefined;
  /** AO */
  readonly institutionId: string;
  /** AA */
  readonly patronIdentifier: string;
  /** AE: always rendered, empty when blank. */
  readonly personalName: string;
  /** BZ */
  readonly holdItemsLimit?: string | undefined;
  /** CA */
  readonly overdueItemsLimit?: string | undefined;
  /** CB */
  readonly chargedItemsLimit?: string | undefined;
  /** BL: undefined when absent: "unknown". */
  readonly validPatron?: boolean | undefined;
  /** CQ: undefined when absent: "not checked". */
  readonly validPatronPassword?: boolean | undefined;
  /** BH */
  readonly currencyType?: string | undefined;
  /** BV */
  readonly feeAmount?: string | undefined;
  /** CC */
  readonly feeLimit?: string | undefined;
  /** AS AT AU AV BU CD: reading history, never released. */
  readonly holdItems: ReadonlyArray<string>;
  readonly overdueItems: ReadonlyArray<string>;
  readonly chargedItems: ReadonlyArray<string>;
  readonly fineItems: ReadonlyArray<string>;
  readonly recallItems: ReadonlyArray<string>;
  readonly unavailableHoldItems: ReadonlyArray<string>;
  /** BD */
  readonly homeAddress?: string | undefined;
  /** BE */
  readonly emailAddress?: string | undefined;
  /** BF */
  readonly homePhoneNumber?: string | undefined;
  /** AF */
  readonly screenMessages: ReadonlyArray<string>;
  /** AG */
  readonly printLines: ReadonlyArray<string>;
}

export const PATRON_INFORMATION_REQUEST_SPEC: MessageSpec = {
  code: '63',
  name: 'patron information',
  fixed: [text('language', 3), text('transactionDate', 18), text('summary', 10)],
  variable: [
    field('AO', 'institutionId', true),
    field('AA', 'patronIdentifier', true),
    field('AC', 'terminalPassword'),
    field('AD', 'patronPassword'),
    field('BP', 'startItem'),
    field('BQ', 'endItem'),
  ],
  sequenced: true,
};

export const PATRON_INFORMATION_RESPONSE_SPEC: MessageSpec = {
  code: '64',
  name: 'patron information response',
  fixed: [
    PATRON_STATUS_FIELD,
    text('language', 3),
    text('transactionDate', 18),
    count('holdItemsCount'),
    count('overdueItemsCount'),
    count('chargedItemsCount'),
    count('fineItemsCount'),
    count('recallItemsCount'),
    count('unavailableHoldsCount'),
  ],
  variable: [
    field('AO', 'institutionId', true),
    field('AA', 'patronIdentifier', true),
    field('AE', 'personalName', true),
    field('BZ', 'holdItemsLimit'),
    field('CA', 'overdueItemsLimit'),
    field('CB', 'chargedItemsLimit'),
    flag('BL', 'validPatron'),
    flag('CQ', 'validPatronPassword'),
    field('BH', 'currencyType'),
    field('BV', 'feeAmount'),
    field('CC', 'feeLimit'),
    list('AS', 'holdItems'),
    list('AT', 'overdueItems'),
    list('AU', 'chargedItems'),
    list('AV', 'fineItems'),
    list('BU', 'recallItems'),
    list('CD', 'unavailableHoldItems'),
    field('BD', 'homeAddress'),
    field('BE', 'emailAddress'),
    field('BF', 'homePhoneNumber'),
    list('AF', 'screenMessages'),
    list('AG', 'printLines'),
  ],
  sequenced: true,
};
