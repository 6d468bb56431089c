/** fast-check generators of every SIP2 message the codec supports (for parse(render(m)) = m). */
import { fc } from '@fast-check/vitest';
import { PATRON_STATUS_FLAGS, type PatronStatus } from '../../src/sip2/patron-status.ts';
import type { Sip2Message } from '../../src/sip2/sip2-message.ts';

/** A field value: any text without CR/LF, at most 255 characters, never the literal `&#124;`. */
export const sip2Value = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((value) => !/[\r\n]/.test(value) && !value.includes('&#124;'));
const digits = (length: number) => fc.stringMatching(new RegExp(`^\\d{${length}}$`));
const date = fc.oneof(
  fc.stringMatching(/^\d{8}( {4}|   Z|0000)\d{6}$/),
  fc.constant('20261129    061540'),
);
const yesNo = fc.boolean();
const count = fc.option(fc.integer({ min: 0, max: 9999 }), { nil: undefined });
const list = fc.array(sip2Value, { maxLength: 4 });
const patronStatus: fc.Arbitrary<PatronStatus> = fc.tuple(...PATRON_STATUS_FLAGS.map(() => fc.boolean())).map((flags) =>
  Object.fromEntries(PATRON_STATUS_FLAGS.map((flag, index) => [flag, flags[index] as boolean])) as unknown as PatronStatus,
);
const summary = fc.array(fc.constantFrom(' ', 'Y'), { minLength: 10, maxLength: 10 }).map((characters) => characters.join(''));

function record<T>(shape: { [K in keyof T]: fc.Arbitrary<T[K]> }, required: ReadonlyArray<keyof T>): fc.Arbitrary<T> {
  return fc.record(shape, { requiredKeys: required as Array<keyof T> }) as unknown as fc.Arbitrary<T>;
}

export const sip2MessageArbitrary: fc.Arbitrary<Sip2Message> = fc.oneof(
  record({ code: fc.constant('93' as const), uidAlgorithm: digits(1), pwdAlgorithm: digits(1), loginUserId: sip2Value, loginPassword: sip2Value, locationCode: sip2Value }, ['code', 'uidAlgorithm', 'pwdAlgorithm', 'loginUserId', 'loginPassword']),
  record({ code: fc.constant('94' as const), ok: yesNo }, ['code', 'ok']),
  record({ code: fc.constant('99' as const), statusCode: digits(1), maxPrintWidth: fc.stringMatching(/^[ \d]{3}$/), protocolVersion: fc.constantFrom('2.00', '1.00') }, ['code', 'statusCode', 'maxPrintWidth', 'protocolVersion']),
  record(
    {
      code: fc.constant('98' as const), onlineStatus: yesNo, checkinOk: yesNo, checkoutOk: yesNo, acsRenewalPolicy: yesNo, statusUpdateOk: yesNo, offlineOk: yesNo,
      timeoutPeriod: digits(3), retriesAllowed: digits(3), dateTimeSync: date, protocolVersion: fc.constant('2.00'), institutionId: sip2Value,
      libraryName: sip2Value, supportedMessages: fc.stringMatching(/^[YN]{16}$/), terminalLocation: sip2Value, screenMessages: list, printLines: list,
    },
    ['code', 'onlineStatus', 'checkinOk', 'checkoutOk', 'acsRenewalPolicy', 'statusUpdateOk', 'offlineOk', 'timeoutPeriod', 'retriesAllowed', 'dateTimeSync', 'protocolVersion', 'institutionId', 'screenMessages', 'printLines'],
  ),
  record(
    { code: fc.constant('23' as const), language: digits(3), transactionDate: date, institutionId: sip2Value, patronIdentifier: sip2Value, terminalPassword: sip2Value, patronPassword: sip2Value },
    ['code', 'language', 'transactionDate', 'institutionId', 'patronIdentifier'],
  ),
  record(
    {
      code: fc.constant('24' as const), patronStatus, language: digits(3), transactionDate: date, institutionId: sip2Value, patronIdentifier: sip2Value, personalName: sip2Value,
      validPatron: yesNo, validPatronPassword: yesNo, currencyType: fc.stringMatching(/^[A-Z]{3}$/), feeAmount: sip2Value, screenMessages: list, printLines: list,
    },
    ['code', 'patronStatus', 'language', 'transactionDate', 'institutionId', 'patronIdentifier', 'personalName', 'screenMessages', 'printLines'],
  ),
  record(
    {
      code: fc.constant('63' as const), language: digits(3), transactionDate: date, summary, institutionId: sip2Value, patronIdentifier: sip2Value,
      terminalPassword: sip2Value, patronPassword: sip2Value, startItem: digits(1), endItem: digits(2),
    },
    ['code', 'language', 'transactionDate', 'summary', 'institutionId', 'patronIdentifier'],
  ),
  record(
    {
      code: fc.constant('64' as const), patronStatus, language: digits(3), transactionDate: date,
      holdItemsCount: count, overdueItemsCount: count, chargedItemsCount: count, fineItemsCount: count, recallItemsCount: count, unavailableHoldsCount: count,
      institutionId: sip2Value, patronIdentifier: sip2Value, personalName: sip2Value, holdItemsLimit: digits(4), overdueItemsLimit: digits(4), chargedItemsLimit: digits(4),
      validPatron: yesNo, validPatronPassword: yesNo, currencyType: fc.stringMatching(/^[A-Z]{3}$/), feeAmount: sip2Value, feeLimit: sip2Value,
      holdItems: list, overdueItems: list, chargedItems: list, fineItems: list, recallItems: list, unavailableHoldItems: list,
      homeAddress: sip2Value, emailAddress: sip2Value, homePhoneNumber: sip2Value, screenMessages: list, printLines: list,
    },
    ['code', 'patronStatus', 'language', 'transactionDate', 'institutionId', 'patronIdentifier', 'personalName', 'holdItems', 'overdueItems', 'chargedItems', 'fineItems', 'recallItems', 'unavailableHoldItems', 'screenMessages', 'printLines'],
  ),
  record(
    { code: fc.constant('35' as const), transactionDate: date, institutionId: sip2Value, patronIdentifier: sip2Value, terminalPassword: sip2Value, patronPassword: sip2Value },
    ['code', 'transactionDate', 'institutionId', 'patronIdentifier'],
  ),
  record(
    { code: fc.constant('36' as const), endSession: yesNo, transactionDate: date, institutionId: sip2Value, patronIdentifier: sip2Value, screenMessages: list, printLines: list },
    ['code', 'endSession', 'transactionDate', 'institutionId', 'patronIdentifier', 'screenMessages', 'printLines'],
  ),
  record(
    { code: fc.constant('01' as const), cardRetained: yesNo, transactionDate: date, institutionId: sip2Value, blockedCardMessage: sip2Value, patronIdentifier: sip2Value, terminalPassword: sip2Value },
    ['code', 'cardRetained', 'transactionDate', 'institutionId', 'blockedCardMessage', 'patronIdentifier'],
  ),
  fc.constant({ code: '97' as const }),
  fc.constant({ code: '96' as const }),
);
