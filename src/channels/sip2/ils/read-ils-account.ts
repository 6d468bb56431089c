import { readBirthDate } from '../../../patrons/sip2-dialect.ts';
import type { Sip2Account } from '../../../policy/sip2/sip2-account.ts';
import { readExtensionField } from '../../../sip2/extension-fields.ts';
import type { PatronInformationResponse } from '../../../sip2/messages/patron-information.ts';
import { renderPatronStatus } from '../../../sip2/patron-status.ts';
import { IlsUnavailableError } from './ils-client.ts';

const AMOUNT = /^-?\d+(?:\.\d+)?$/;

/**
 * The account part of an ILS's 64: BL, CQ, the 14 flags, expiry, fines. BL missing, or CQ missing
 * for a known card when a PIN was sent, is not an answer ("unknown" must never become "valid" or "wrong PIN"): the
 * lookup fails and the mediator closes the vendor's connection.
 */
export function readIlsAccount(response: PatronInformationResponse, pinSent: boolean, expiryField: string): Sip2Account {
  if (response.validPatron === undefined) throw new IlsUnavailableError('bad_status');
  // CQ is asked of a known card only: an ILS may leave it out for an unknown one (Evergreen does).
  if (pinSent && response.validPatron && response.validPatronPassword === undefined) throw new IlsUnavailableError('bad_status');
  const expires = readBirthDate(readExtensionField(response, expiryField));
  const fee = response.feeAmount?.trim();
  const currency = response.currencyType?.trim();
  return {
    valid: response.validPatron,
    ...(response.validPatronPassword !== undefined ? { pinValid: response.validPatronPassword } : {}),
    statusFlags: renderPatronStatus(response.patronStatus),
    ...(expires !== undefined ? { expires } : {}),
    ...(fee !== undefined && AMOUNT.test(fee) ? { feeAmount: Number(fee) } : {}),
    ...(currency ? { currency } : {}),
  };
}
