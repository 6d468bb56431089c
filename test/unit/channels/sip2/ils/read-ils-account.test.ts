import { describe, expect, it } from 'vitest';
import { IlsUnavailableError } from '../../../../../src/channels/sip2/ils/ils-client.ts';
import { readIlsAccount } from '../../../../../src/channels/sip2/ils/read-ils-account.ts';
import type { PatronInformationResponse } from '../../../../../src/sip2/messages/patron-information.ts';
import { parseSip2Message } from '../../../../../src/sip2/parse-message.ts';

/** A 64 as an ILS sends it (variable part given), parsed by the codec. */
function response(variable: string, status = '  Y           '): PatronInformationResponse {
  const parsed = parseSip2Message(Buffer.from(`64${status}00020261129    061540000000000000000100000000${variable}`));
  if (!parsed.ok || parsed.message.code !== '64') throw new Error('not a 64');
  return parsed.message;
}

describe('readIlsAccount: the account part of an ILS 64', () => {
  it('reads BL, CQ, the flags, the expiry of the named field, BV and BH', () => {
    expect(readIlsAccount(response('AOUWOLS|AAx|AEX|BLY|CQN|BHUSD|BV 12.50|PA20501231|'), true, 'PA')).toStrictEqual({
      valid: true,
      pinValid: false,
      statusFlags: '  Y           ',
      expires: '2050-12-31',
      feeAmount: 12.5,
      currency: 'USD',
    });
  });

  it.each([
    ['no CQ when no PIN was sent: "not checked", no pinValid', 'AOUWOLS|AAx|AE|BLY|', false, { valid: true, statusFlags: '  Y           ' }],
    ['an expiry in another field than the one named is not read', 'AOUWOLS|AAx|AE|BLY|PX20501231|', false, { valid: true, statusFlags: '  Y           ' }],
    ['an expiry that is not a date is no expiry', 'AOUWOLS|AAx|AE|BLY|PA2050-13-45|', false, { valid: true, statusFlags: '  Y           ' }],
    ['a fee amount that is not a number is no amount, an empty currency no currency', 'AOUWOLS|AAx|AE|BLY|BH|BVabc|', false, { valid: true, statusFlags: '  Y           ' }],
    ['an unknown card', 'AOUWOLS|AAx|AE|BLN|', false, { valid: false, statusFlags: '  Y           ' }],
    ['an unknown card with a PIN sent and no CQ (Evergreen leaves CQ out for unknown cards): an answer, not an outage', 'AOUWOLS|AAx|AE|BLN|', true, { valid: false, statusFlags: '  Y           ' }],
    ['an unknown card with a PIN sent and CQN', 'AOUWOLS|AAx|AE|BLN|CQN|', true, { valid: false, pinValid: false, statusFlags: '  Y           ' }],
    ['a currency with blanks around it is trimmed', 'AOUWOLS|AAx|AE|BLY|BH USD |', false, { valid: true, statusFlags: '  Y           ', currency: 'USD' }],
  ])('%s', (_name, variable, pinSent, expected) => {
    expect(readIlsAccount(response(variable), pinSent, 'PA')).toStrictEqual(expected);
  });

  it.each([
    ['BL missing ("unknown" is never "valid" or "invalid")', 'AOUWOLS|AAx|AE|CQY|', true],
    ['BL missing, no PIN sent', 'AOUWOLS|AAx|AE|', false],
    ['CQ missing although a PIN was sent ("not checked" is never "right")', 'AOUWOLS|AAx|AE|BLY|', true],
  ])('%s: the ILS cannot answer', (_name, variable, pinSent) => {
    expect(() => readIlsAccount(response(variable), pinSent, 'PA')).toThrow(IlsUnavailableError);
    expect(() => readIlsAccount(response(variable), pinSent, 'PA')).toThrow(expect.objectContaining({ kind: 'bad_status' }));
  });
});
