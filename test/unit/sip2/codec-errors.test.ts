import { describe, expect, it } from 'vitest';
import { parseSip2Message } from '../../../src/sip2/parse-message.ts';
import { renderSip2Message } from '../../../src/sip2/render-message.ts';
import { CLEAR_PATRON_STATUS } from '../../../src/sip2/patron-status.ts';
import { Sip2ClientError } from '../../../src/sip2/sip2-client-error.ts';
import { Sip2FormatError } from '../../../src/sip2/sip2-format-error.ts';
import type { Sip2Message } from '../../../src/sip2/sip2-message.ts';

const parse = (text: string) => parseSip2Message(Buffer.from(text, 'latin1'));
const lists = { holdItems: [], overdueItems: [], chargedItems: [], fineItems: [], recallItems: [], unavailableHoldItems: [], screenMessages: [], printLines: [] };
const base64 = { code: '64', patronStatus: CLEAR_PATRON_STATUS, language: '000', transactionDate: '20261129    061540', institutionId: 'X', patronIdentifier: '1', personalName: '', ...lists } as const;

describe('what the codec says when it refuses (for operators: field names and lengths, never values)', () => {
  it.each([
    ['XX941', { reason: 'malformed', code: undefined, detail: 'no 2-digit message code' }],
    ['9900401.00AY1AZAAAA', { reason: 'bad_checksum', code: '99', detail: 'checksum does not verify' }],
    ['11YN', { reason: 'unsupported_message', code: '11', detail: 'message 11 is not supported' }],
    ['24              00120261129', { reason: 'malformed', code: '24', detail: 'fixed field transactionDate is cut short' }],
    ['64              00120261129    061540000X', { reason: 'malformed', code: '64', detail: 'count holdItemsCount is not 4 digits or 4 blanks' }],
  ])('%s', (line, expected) => {
    expect(parse(line)).toEqual({ ok: false, ...expected });
  });

  it.each([
    ['97AZFEF5', undefined, 'valid'],
    ['941AY0AZFDFD', 0, 'valid'],
    ['941AY7AZFDF6', 7, 'valid'],
    ['941', undefined, 'absent'],
  ] as const)('reads the sequence of %s as %s', (line, sequence, checksum) => {
    const outcome = parse(line);
    expect(outcome.ok && outcome.sequence).toBe(sequence === undefined ? undefined : sequence);
    expect(outcome.ok && Object.is(outcome.sequence, sequence)).toBe(true);
    expect(outcome.ok && outcome.checksum).toBe(checksum);
  });

  it.each([
    ['0', '0000'],
    ['9999', '9999'],
    ['42', '0042'],
  ])('renders count %s as %s', (value, wire) => {
    const text = Buffer.from(renderSip2Message({ ...base64, holdItemsCount: Number(value) } as Sip2Message)).toString('latin1');
    expect(text.slice(37, 41)).toBe(wire);
  });

  it.each([
    ['a count as text', { holdItemsCount: '12' }, 'count holdItemsCount must be an integer from 0 to 9999'],
    ['a count of 10000', { holdItemsCount: 10_000 }, 'count holdItemsCount must be an integer from 0 to 9999'],
    ['a short language', { language: '01' }, 'message 64: fixed field language must be 3 characters on one line'],
  ])('refuses %s with a message naming the field', (_name, change, message) => {
    const error = (() => {
      try {
        renderSip2Message({ ...base64, ...change } as unknown as Sip2Message);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(Sip2FormatError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).name).toBe('Sip2FormatError');
  });

  it('a client error names its reason only', () => {
    const error = new Sip2ClientError('timeout', { cause: new Error('inner') });
    expect(error.message).toBe('SIP2 exchange failed: timeout');
    expect(error.name).toBe('Sip2ClientError');
    expect(error.reason).toBe('timeout');
    expect((error.cause as Error).message).toBe('inner');
  });

  it('renders a 98 with the BX, AM and AN it is given, and an absent optional field not at all', () => {
    const text = Buffer.from(
      renderSip2Message({
        code: '98', onlineStatus: true, checkinOk: false, checkoutOk: false, acsRenewalPolicy: false, statusUpdateOk: false, offlineOk: false,
        timeoutPeriod: '600', retriesAllowed: '003', dateTimeSync: '20261129    061540', protocolVersion: '2.00', institutionId: 'X', supportedMessages: 'YNNNYYYYYNNNNNNN', screenMessages: [], printLines: [],
      }),
    ).toString('latin1');
    expect(text).toBe('98YNNNNN60000320261129    0615402.00AOX|BXYNNNYYYYYNNNNNNN|\r');
  });
});
