import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, protect, readFields, sip2Contract, startMediator, vendorLogin, verifies, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

/** A vendor's 23 and 63 as in the reference's transcripts (8.3), with the vendor's own sequence numbers. */
const PATRON_STATUS = (barcode: string, pin: string | undefined, seq: number): string => protect(`2300120240101    120000AOUWOLS|AA${barcode}|AC|${pin === undefined ? '' : `AD${pin}|`}`, seq);
const PATRON_INFO = (barcode: string, pin: string | undefined, seq: number, summary = '          '): string => protect(`6300120240101    120000${summary}AOUWOLS|AA${barcode}|AC|${pin === undefined ? '' : `AD${pin}|`}`, seq);

/** What the ILS holds about djfiander (8.3) and must not reach a vendor whose contract does not release it. */
const ILS_ONLY = ['David', 'Fiander', 'Meadowvale', 'hotmail', '555 1234', 'Beacock', '20501231', '19640925', 'PIY', 'PCA', 'AQ', 'AV', 'Computer Time', 'Evergreen'];

describe('SIP2 mediator round trips (reference 8.3 through the mediator, several contracts)', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({
      contracts: [
        sip2Contract('empty-sip'),
        sip2Contract('hoopla-sip', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied, renewalDenied, cardLost, recallDenied] } }', 'fields: { patronId: { action: pseudonymize } }'),
        sip2Contract('palace-sip', 'identity: { delivery: sip2, sip2: { expiry: date, counts: zeros } }', 'fields: { firstName: { action: pass }, email: { action: pass }, patronType: { action: pass } }'),
      ],
    });
  });
  afterAll(() => h.close());

  it('an empty contract: login, status, a good PIN, a bad PIN, an unknown card, a 64 and the end; only code, fixed part, AO, the echoed AA, AE|, BL and CQ', async () => {
    const talk = await converse(h.port, [
      protect(vendorLogin('empty-sip'), 0),
      protect('9900302.00', 1),
      PATRON_STATUS('djfiander', '6789', 2),
      PATRON_STATUS('djfiander', 'badpin', 3),
      PATRON_STATUS('nosuchpatron', undefined, 4),
      PATRON_INFO('djfiander', '6789', 5),
      PATRON_INFO('miker', undefined, 6),
      protect('3520240101    120000AOUWOLS|AAdjfiander|AC|AD6789|', 7),
    ]);
    expect(talk.answers).toHaveLength(8);
    const [login, status, good, bad, unknown, info, noPin, end] = talk.answers as [string, string, string, string, string, string, string, string];
    expect(login).toMatch(/^941AY0AZ/);
    // The mediator's own 98: on-line, no circulation, BX advertising 23, 99, 97, 93, 63 and 35 only, its own clock.
    expect(status).toMatch(/^98YNNNNN99999920261129   Z1200002\.00AO\|BXYNNNYYYYYNNNNNNN\|AY1AZ[0-9A-F]{4}$/);
    expect(good.slice(0, 19)).toBe(`24${' '.repeat(14)}001`);
    expect(readFields(good, 37)).toEqual([['AO', 'UWOLS'], ['AA', 'djfiander'], ['AE', ''], ['BL', 'Y'], ['CQ', 'Y']]);
    expect(readFields(bad, 37)).toEqual([['AO', 'UWOLS'], ['AA', 'djfiander'], ['AE', ''], ['BL', 'Y'], ['CQ', 'N']]);
    expect(readFields(unknown, 37)).toEqual([['AO', 'UWOLS'], ['AA', 'nosuchpatron'], ['AE', ''], ['BL', 'N']]);
    // A 64: 14 blank flags, language, date, six blank counts ("unknown"), then the same fields.
    expect(info.slice(0, 19)).toBe(`64${' '.repeat(14)}001`);
    expect(info.slice(37, 61)).toBe(' '.repeat(24));
    expect(readFields(info, 61)).toEqual([['AO', 'UWOLS'], ['AA', 'djfiander'], ['AE', ''], ['BL', 'Y'], ['CQ', 'Y']]);
    // No PIN sent: no CQ ("not checked" never becomes Y).
    expect(readFields(noPin, 61)).toEqual([['AO', 'UWOLS'], ['AA', 'miker'], ['AE', ''], ['BL', 'Y']]);
    expect(end).toMatch(/^36Y\d{8} {3}Z\d{6}AOUWOLS\|AAdjfiander\|AY7AZ[0-9A-F]{4}$/);
    for (const [index, answer] of talk.answers.entries()) {
      expect(verifies(answer), answer).toBe(true);
      expect(answer).toMatch(new RegExp(`AY${index}AZ[0-9A-F]{4}$`));
      for (const value of ILS_ONLY) expect(answer).not.toContain(value);
    }
    expect(talk.closed).toBe(false);
  });

  it('hoopla-style: the allowed flags as the ILS set them (recall denied), the pseudonym in XI, nothing else', async () => {
    const talk = await converse(h.port, [protect(vendorLogin('hoopla-sip'), 0), PATRON_INFO('djfiander', '6789', 1), PATRON_STATUS('djfiander', '6789', 2)]);
    const [, info, status] = talk.answers as [string, string, string];
    expect(info.slice(2, 16)).toBe('  Y           ');
    const fields = readFields(info, 61);
    expect(fields.map(([id]) => id)).toEqual(['AO', 'AA', 'AE', 'BL', 'CQ', 'XI']);
    expect(fields[5]?.[1]).toMatch(/^[a-z2-7]{32}$/);
    // The same pseudonym in the 24, and not the barcode.
    expect(readFields(status, 37)[5]).toEqual(fields[5]);
    expect(fields[5]?.[1]).not.toContain('djfiander');
    for (const value of ILS_ONLY) expect(info).not.toContain(value);
  });

  it('palace-style: first name in AE, e-mail in BE, class in PC, expiry in PA, zero counts; the last name, address, phone and birth date stay withheld', async () => {
    const talk = await converse(h.port, [protect(vendorLogin('palace-sip'), 0), PATRON_INFO('djfiander', '6789', 1)]);
    const info = talk.answers[1] as string;
    expect(info.slice(37, 61)).toBe('0'.repeat(24));
    expect(readFields(info, 61)).toEqual([
      ['AO', 'UWOLS'],
      ['AA', 'djfiander'],
      ['AE', 'David J.'],
      ['BL', 'Y'],
      ['CQ', 'Y'],
      ['PA', '20501231'],
      ['BE', 'djfiander@hotmail.com'],
      ['PC', 'A'],
    ]);
    for (const value of ['Fiander|', 'Meadowvale', '555 1234', '19640925', 'Beacock', 'Computer Time']) expect(info).not.toContain(value);
  });

  it('answers without error detection when the vendor sends none', async () => {
    const talk = await converse(h.port, [vendorLogin('empty-sip'), '2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|']);
    expect(talk.answers[0]).toBe('941');
    expect(talk.answers[1]).toMatch(/^24 {14}001\d{8} {3}Z\d{6}AOUWOLS\|AAdjfiander\|AE\|BLY\|CQY\|$/);
  });

  it('upstream, every lookup was a 63 with a blank summary and protocol 2.00 behaviour, under the gateway’s own login and AO', async () => {
    const upstream = h.ils.received.filter((m) => m.code === '63' || m.code === '23');
    expect(upstream.length).toBeGreaterThan(0);
    for (const message of upstream) {
      expect(message.code).toBe('63');
      expect(message.text.slice(23, 33)).toBe(' '.repeat(10));
      expect(message.text).toMatch(/AOUWOLS\|/);
    }
    for (const login of h.ils.received.filter((m) => m.code === '93')) expect(login.text).toMatch(/^9300CNscclient\|COclientpwd\|CPgateway\|/);
    // The vendors' own logins, 99s and 35s never reached the ILS.
    expect(h.ils.received.some((m) => /-user|-secret|vendor-desk/.test(m.text))).toBe(false);
    // The client's own 99 after each of its logins (protocol 2.00), and none of the vendors'.
    expect(h.ils.count('99')).toBe(h.ils.count('93'));
    expect(h.ils.count('35')).toBe(0);
  });
});
