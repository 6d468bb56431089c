import { describe, expect, it } from 'vitest';
import { encodeText } from '../../../src/sip2/encoding.ts';
import { readExtensionField } from '../../../src/sip2/extension-fields.ts';
import { parseSip2Message, type ParseOutcome } from '../../../src/sip2/parse-message.ts';
import { renderSip2Message } from '../../../src/sip2/render-message.ts';
import type { Sip2Sequence } from '../../../src/sip2/sequence.ts';
import type { Sip2Message } from '../../../src/sip2/sip2-message.ts';
import { TRANSCRIPT_WITH_ERROR_DETECTION, TRANSCRIPT_WITHOUT_ERROR_DETECTION } from '../../helpers/sip2-transcripts.ts';

const parse = (text: string, options: Parameters<typeof parseSip2Message>[1] = {}): ParseOutcome => parseSip2Message(Buffer.from(text, 'latin1'), options);

function parsed(text: string): Sip2Message {
  const outcome = parse(text);
  if (!outcome.ok) throw new Error(`did not parse: ${outcome.reason} ${outcome.detail}`);
  return outcome.message;
}

const rerender = (message: Sip2Message, sequence: Sip2Sequence | undefined): string =>
  Buffer.from(renderSip2Message(message, { errorDetection: sequence !== undefined || message.code === '97' || message.code === '96', sequence })).toString('latin1').slice(0, -1);

/** The lines of the transcripts that the server's own renderer re-creates byte for byte (no extension fields, spec order). */
const allLines = [...TRANSCRIPT_WITH_ERROR_DETECTION, ...TRANSCRIPT_WITHOUT_ERROR_DETECTION].flatMap(({ request, response }) => [request, response]);

describe('parsing SIP2 messages: the recorded transcripts (reference 8.3)', () => {
  it.each(allLines.filter((line) => line !== '9900302.00AY0AZ0000'))('%s parses, and re-renders to the same fields (extension fields set aside) with a valid checksum', (line) => {
    const outcome = parse(line);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.checksum).toBe(line.includes('AZ') ? 'valid' : 'absent');
    const unknownIds = new Set((outcome.message.unknown ?? []).map(([id]) => id));
    const rendered = rerender(outcome.message, outcome.sequence);
    const fieldsOf = (wire: string): string[] => wire.replace(/(AY\d)?AZ[0-9A-F]{4}$/, '').split('|').slice(1).filter((segment) => segment !== '' && !unknownIds.has(segment.slice(0, 2))).sort();
    // Same fixed part, same variable fields (the renderer writes them in spec order), same AY.
    expect(rendered.slice(0, rendered.indexOf('|') + 1 || undefined)).toBe(line.slice(0, line.indexOf('|') + 1 || undefined));
    expect(fieldsOf(rendered)).toEqual(fieldsOf(line));
    const again = parse(rendered);
    expect(again).toMatchObject({ ok: true, sequence: outcome.sequence, checksum: outcome.checksum === 'absent' ? 'absent' : 'valid' });
    expect(again.ok && again.message).toEqual({ ...outcome.message, unknown: [] });
    if (unknownIds.size === 0) expect(rendered).toBe(line);
  });

  it('reads the fields of the 64 (djfiander, with the fine-items list asked for)', () => {
    const message = parsed(TRANSCRIPT_WITH_ERROR_DETECTION[6]?.response as string);
    expect(message).toMatchObject({
      code: '64',
      language: '000',
      transactionDate: '20261129    061540',
      holdItemsCount: 0,
      fineItemsCount: 1,
      institutionId: 'UWOLS',
      patronIdentifier: 'djfiander',
      personalName: 'David J. Fiander',
      homeAddress: '2 Meadowvale Dr. St Thomas, ON',
      emailAddress: 'djfiander@hotmail.com',
      homePhoneNumber: '(519) 555 1234',
      validPatron: true,
      validPatronPassword: true,
      fineItems: ['Computer Time', '', '', '', ''],
      unknown: [['AQ', 'Beacock'], ['PA', '20501231'], ['PB', '19640925'], ['PC', 'A'], ['PI', 'Y']],
    });
    if (message.code !== '64') return;
    expect(message.patronStatus.recallPrivilegesDenied).toBe(true);
    expect(Object.values(message.patronStatus).filter(Boolean)).toHaveLength(1);
    expect(readExtensionField(message, 'PB')).toBe('19640925');
    expect(readExtensionField(message, 'XI')).toBeUndefined();
  });

  it.each([
    ['a 64 without AD has no CQ: "not checked", not "valid"', TRANSCRIPT_WITH_ERROR_DETECTION[7]?.response, { validPatron: true }, ['validPatronPassword']],
    ['an unknown patron: BLN, empty AE, status YYYY', TRANSCRIPT_WITH_ERROR_DETECTION[4]?.response, { validPatron: false, personalName: '' }, ['validPatronPassword']],
    ['a wrong PIN: BLY CQN', TRANSCRIPT_WITH_ERROR_DETECTION[3]?.response, { validPatron: true, validPatronPassword: false }],
    ['the 98: flags, timeout and BX', TRANSCRIPT_WITH_ERROR_DETECTION[1]?.response, { onlineStatus: true, checkinOk: false, acsRenewalPolicy: true, timeoutPeriod: '600', retriesAllowed: '003', supportedMessages: 'YYYYYYYYYNYNYYYY' }],
    ['a failed login', '940', { code: '94', ok: false }],
    ['the 93 with CN, CO, CP', TRANSCRIPT_WITH_ERROR_DETECTION[0]?.request, { uidAlgorithm: '0', loginUserId: 'scclient', loginPassword: 'clientpwd', locationCode: 'circ_desk' }],
    ['the 63 with a summary and BP/BQ', TRANSCRIPT_WITH_ERROR_DETECTION[6]?.request, { summary: '   Y      ', startItem: '1', endItem: '5', patronPassword: '6789', terminalPassword: '' }],
    ['the 23 without AD keeps AD absent (an empty AD| would count as carried)', TRANSCRIPT_WITH_ERROR_DETECTION[4]?.request, { terminalPassword: '' }, ['patronPassword']],
    ['the 01 (so that a mediator can refuse it by type)', TRANSCRIPT_WITH_ERROR_DETECTION[12]?.request, { code: '01', cardRetained: false, blockedCardMessage: 'Card retained by test', patronIdentifier: 'miker' }],
    ['the 36', TRANSCRIPT_WITH_ERROR_DETECTION[10]?.response, { endSession: true, screenMessages: ['Thank you for using Evergreen!'] }],
  ])('%s', (_name, line, expected, absent: ReadonlyArray<string> = []) => {
    const message = parsed(line as string);
    expect(message).toMatchObject(expected);
    for (const name of absent) expect(Object.hasOwn(message, name), name).toBe(false);
  });

  it('the answer to 97 is the previous 64 re-stamped AY0 (SIPServer quirk): same message, sequence 0', () => {
    const before = parse(TRANSCRIPT_WITH_ERROR_DETECTION[8]?.response as string);
    const resent = parse(TRANSCRIPT_WITH_ERROR_DETECTION[9]?.response as string);
    expect(resent.ok && before.ok && resent.message).toEqual(before.ok && before.message);
    expect(resent.ok && resent.sequence).toBe(0);
  });
});

describe('parsing SIP2 messages: checksums', () => {
  it.each([
    ['the 99 the server answered 96', '9900302.00AY0AZ0000'],
    ['a 3M sample login', '9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZEC78'],
    ['a 3M sample 24', '24              00119960212    100239AO|AA104000000105|AEJohn Doe|AFScreen Message|AGCheck Print message|AY2AZDFC4'],
    ['FOLIO bad checksum', '9900401.00AY1AZAAAA'],
    ['a 97 with a wrong constant', '97AZFEF6'],
    ['a good message with one byte changed after signing', '941AY0AZFDFD'.replace('941', '940')],
  ])('refuses %s as bad_checksum (answer 96), without reading its fields', (_name, line) => {
    expect(parse(line)).toMatchObject({ ok: false, reason: 'bad_checksum' });
  });

  it('in lenient mode, accepts a bad checksum but says so', () => {
    expect(parse('9900401.00AY1AZAAAA', { acceptBadChecksum: true })).toMatchObject({ ok: true, checksum: 'invalid', sequence: 1, message: { code: '99', protocolVersion: '1.00' } });
  });

  it.each([
    ['lowercase hex (some Evergreen installs)', '941AY0AZfdfd', 'valid'],
    ['no trailer on a connection that usually has one', '941', 'absent'],
    ['AY right after the fixed part, no delimiter', '941AY0AZFDFD', 'valid'],
  ])('accepts %s', (_name, line, state) => {
    expect(parse(line)).toMatchObject({ ok: true, checksum: state, message: { code: '94', ok: true } });
  });

  it('verifies the checksum over the bytes in the peer encoding (CP850)', () => {
    const line = '36Y20240101    120000AOUWOLS|AAjosé|AY1AZF539';
    expect(parseSip2Message(encodeText(line, 'cp850'), { encoding: 'cp850' })).toMatchObject({ ok: true, checksum: 'valid', message: { patronIdentifier: 'josé' } });
    expect(parseSip2Message(encodeText(line, 'utf-8'), { encoding: 'utf-8' })).toMatchObject({ ok: false, reason: 'bad_checksum' });
    expect(parseSip2Message(encodeText(line.replace('F539', 'F44F'), 'utf-8'))).toMatchObject({ ok: true, message: { patronIdentifier: 'josé' } });
    expect(parseSip2Message(encodeText(line.replace('F539', 'F4D2'), 'latin1'), { encoding: 'latin1' })).toMatchObject({ ok: true, checksum: 'valid' });
  });
});

describe('parsing SIP2 messages: quirks of section 8.5', () => {
  const head24 = '24              00120261129    061540';
  it.each([
    ['fields in any order (Koha puts AE before AA)', `${head24}AEJane|AOX|AA123|BLY|`, { personalName: 'Jane', institutionId: 'X', patronIdentifier: '123', validPatron: true }],
    ['a missing final | before AY', `${head24}AOX|AA123|AEJane|BLY`, { validPatron: true }],
    ['|| (an empty field) is skipped', `${head24}AOX||AA123|AEJane|`, { patronIdentifier: '123', unknown: [] }],
    ['repeated AF and AG, in order', `${head24}AOX|AA1|AE|AFone|AGp1|AFtwo|AGp2|`, { screenMessages: ['one', 'two'], printLines: ['p1', 'p2'] }],
    ['unknown codes XA, ZY and lowercase ones are kept apart', `${head24}AOX|AA1|AE|XAone|ZYtwo|xathree|`, { unknown: [['XA', 'one'], ['ZY', 'two'], ['xa', 'three']] }],
    ['a second AA is not read over the first (a duplicate is kept apart)', `${head24}AOX|AAfirst|AE|AAsecond|`, { patronIdentifier: 'first', unknown: [['AA', 'second']] }],
    ['a BL that is neither Y nor N reads as absent (unknown), never as valid', `${head24}AOX|AA1|AE|BLX|CQy|`, { unknown: [['BL', 'X'], ['CQ', 'y']] }, ['validPatron', 'validPatronPassword']],
    ['a | inside a value that does not start a field stays in the value', `${head24}AOX|AA1|AEDoe | Jane|BLY|`, { personalName: 'Doe | Jane', validPatron: true }],
    ['&#124; stands for | (Koha, SIPServer)', `${head24}AOX|AA1|AEDoe&#124;Jane|`, { personalName: 'Doe|Jane' }],
    ['a value longer than 255 characters is read whole', `${head24}AOX|AA1|AE${'n'.repeat(400)}|`, { personalName: 'n'.repeat(400) }],
    ['a required field that is absent reads as empty', `${head24}AOX|AA1|`, { personalName: '' }],
    ['date zone 0000 (Palace)', '24              00120261129000006154 AOX|AA1|AE|', { transactionDate: '20261129000006154 ' }],
    ['date zone "   Z" (UTC)', '24              00120261129   Z061540AOX|AA1|AE|', { transactionDate: '20261129   Z061540' }],
    ['a trailing | after the whole message', `${head24}AOX|AA1|AE|BLN|`, { validPatron: false }],
  ])('%s', (_name, line, expected, absent: ReadonlyArray<string> = []) => {
    const message = parsed(line);
    expect(message).toMatchObject(expected);
    for (const name of absent) expect(Object.hasOwn(message, name), name).toBe(false);
  });

  it('lists the required fields that were absent', () => {
    expect(parse('24              00120261129    061540AOX|')).toMatchObject({ ok: true, missing: ['AA', 'AE'] });
  });

  it.each([
    ['the 3M 64 sample with a 15-character date (counts would be garbage)', '64              00119980723 104009000100000002000100020000AOid_21|AA104000000105|AEJohn Doe|'],
    ['a 64 cut inside its counts', '64              00120261129    06154000000000'],
    ['a 24 cut inside its date', '24              00120261129'],
    ['a 99 with no protocol version', '990'],
    ['a message that does not start with two digits', 'XX941'],
    ['an empty message', ''],
    ['one digit', '9'],
  ])('refuses %s as malformed, with a detail that carries no values', (_name, line) => {
    const outcome = parse(line);
    expect(outcome).toMatchObject({ ok: false, reason: 'malformed' });
    if (!outcome.ok) expect(outcome.detail).not.toMatch(/John|104000000105|id_21/);
  });

  it.each([
    ['11 checkout', '11YN20240101    120000                  AOX|AA1|AB2|AC|'],
    ['09 checkin', '09N20240101    12000020240101    120000APx|AOX|AB2|AC|'],
    ['15 hold', '15+20240101    120000AOX|AA1|'],
    ['65 renew all', '6520240101    120000AOX|AA1|'],
  ])('recognises %s as unsupported, by code, so that a mediator can count and refuse it', (_name, line) => {
    expect(parse(line)).toMatchObject({ ok: false, reason: 'unsupported_message', code: line.slice(0, 2) });
  });
});
