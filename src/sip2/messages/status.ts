import { field, list, type MessageSpec, text, yesNo } from '../message-spec.ts';
import type { MessageBase } from './message-base.ts';

/** 99 SC Status (reference 4.2). */
export interface ScStatus extends MessageBase {
  readonly code: '99';
  /** `0` ok, `1` out of paper, `2` about to shut down. */
  readonly statusCode: string;
  /** 3 characters, e.g. `030` or ` 40`. */
  readonly maxPrintWidth: string;
  /** 4 characters: `2.00` or `1.00`. */
  readonly protocolVersion: string;
}

/** 98 ACS Status. */
export interface AcsStatus extends MessageBase {
  readonly code: '98';
  readonly onlineStatus: boolean;
  readonly checkinOk: boolean;
  readonly checkoutOk: boolean;
  readonly acsRenewalPolicy: boolean;
  readonly statusUpdateOk: boolean;
  readonly offlineOk: boolean;
  /** 3 digits, tenths of a second; `000` not on-line, `999` unknown. */
  readonly timeoutPeriod: string;
  readonly retriesAllowed: string;
  /** 18-character date. */
  readonly dateTimeSync: string;
  readonly protocolVersion: string;
  /** AO */
  readonly institutionId: string;
  /** AM */
  readonly libraryName?: string | undefined;
  /** BX: 16 Y/N characters (see SUPPORTED_MESSAGE_ORDER). */
  readonly supportedMessages?: string | undefined;
  /** AN */
  readonly terminalLocation?: string | undefined;
  /** AF */
  readonly screenMessages: ReadonlyArray<string>;
  /** AG */
  readonly printLines: ReadonlyArray<string>;
}

/** The message codes of the 16 BX positions, in order. */
export const SUPPORTED_MESSAGE_ORDER = ['23', '11', '09', '01', '99', '97', '93', '63', '35', '37', '17', '19', '25', '15', '29', '65'] as const;

/** The BX value that advertises exactly `codes`. */
export function renderSupportedMessages(codes: ReadonlySet<string>): string {
  return SUPPORTED_MESSAGE_ORDER.map((code) => (codes.has(code) ? 'Y' : 'N')).join('');
}

export const SC_STATUS_SPEC: MessageSpec = {
  code: '99',
  name: 'SC status',
  fixed: [text('statusCode', 1), text('maxPrintWidth', 3), text('protocolVersion', 4)],
  variable: [],
  sequenced: true,
};

export const ACS_STATUS_SPEC: MessageSpec = {
  code: '98',
  name: 'ACS status',
  fixed: [
    yesNo('onlineStatus'),
    yesNo('checkinOk'),
    yesNo('checkoutOk'),
    yesNo('acsRenewalPolicy'),
    yesNo('statusUpdateOk'),
    yesNo('offlineOk'),
    text('timeoutPeriod', 3),
    text('retriesAllowed', 3),
    text('dateTimeSync', 18),
    text('protocolVersion', 4),
  ],
  variable: [
    field('AO', 'institutionId', true),
    field('AM', 'libraryName'),
    field('BX', 'supportedMessages'),
    field('AN', 'terminalLocation'),
    list('AF', 'screenMessages'),
    list('AG', 'printLines'),
  ],
  sequenced: true,
};
