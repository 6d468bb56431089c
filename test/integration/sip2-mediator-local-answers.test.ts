import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, sip2Contract, startMediator, vendorLogin, verifies, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

// The answers the mediator writes itself (94, 98, 36, 96), never asking the ILS: the institution
// the contract names (or nothing of the ILS's), the vendor's error-detection choice mirrored, and
// a message it cannot read closes the connection and is counted as a bad request.

const WITH_INSTITUTION = 'identity: { delivery: sip2, sip2: { institution: LIB-7 } }';
const STATUS = '9900302.00';
const END = '3520240101    120000AOVENDOR-AO|AAdjfiander|AC|';

describe('SIP2 mediator: its own answers', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({ contracts: [sip2Contract('inst-sip', WITH_INSTITUTION), sip2Contract('plain-sip')] });
  });
  afterAll(() => h.close());

  it('after the login of a contract that names an institution, 98 and 36 carry it as AO (not the vendor’s, not the ILS’s)', async () => {
    const talk = await converse(h.port, [protect(vendorLogin('inst-sip'), 0), protect(STATUS, 1), protect(END, 2)]);
    const [login, status, end] = talk.answers as [string, string, string];
    expect(login).toMatch(/^941AY0AZ[0-9A-F]{4}$/);
    expect(status).toMatch(/^98YNNNNN999999\d{8} {3}Z\d{6}2\.00AOLIB-7\|BX[YN]{16}\|AY1AZ[0-9A-F]{4}$/);
    expect(end).toMatch(/^36Y\d{8} {3}Z\d{6}AOLIB-7\|AAdjfiander\|AY2AZ[0-9A-F]{4}$/);
    expect(talk.answers.every(verifies)).toBe(true);
    expect(talk.closed).toBe(false);
  });

  it('without an institution in the contract, 36 echoes the vendor’s AO; a 98 before any login has an empty AO', async () => {
    const before = await converse(h.port, [protect(STATUS, 4)]);
    expect(before.answers[0]).toMatch(/^98YNNNNN999999\d{8} {3}Z\d{6}2\.00AO\|BX[YN]{16}\|AY4AZ[0-9A-F]{4}$/);
    const talk = await converse(h.port, [protect(vendorLogin('plain-sip'), 5), protect(END, 6)]);
    expect(talk.answers[1]).toMatch(/^36Y\d{8} {3}Z\d{6}AOVENDOR-AO\|AAdjfiander\|AY6AZ[0-9A-F]{4}$/);
  });

  it('a vendor without error detection gets 94, 98 and 36 without AY and AZ', async () => {
    const talk = await converse(h.port, [vendorLogin('inst-sip'), STATUS, END]);
    const [login, status, end] = talk.answers as [string, string, string];
    expect(login).toBe('941');
    expect(status).toMatch(/^98YNNNNN999999\d{8} {3}Z\d{6}2\.00AOLIB-7\|BX[YN]{16}\|$/);
    expect(end).toMatch(/^36Y\d{8} {3}Z\d{6}AOLIB-7\|AAdjfiander\|$/);
  });

  it('a vendor that sends a checksum without AY still gets checksummed answers it can verify', async () => {
    const checksummed = (body: string): string => {
      const text = `${body}AZ`;
      let sum = 0;
      for (const byte of Buffer.from(text, 'utf8')) sum += byte;
      return text + ((-sum) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    };
    const talk = await converse(h.port, [checksummed(vendorLogin('inst-sip')), checksummed(STATUS), checksummed(END)]);
    expect(talk.answers).toHaveLength(3);
    expect(talk.answers[0]).toMatch(/^941/);
    expect(talk.answers[1]).toMatch(/^98/);
    expect(talk.answers[2]).toMatch(/^36Y/);
    for (const answer of talk.answers) {
      expect(answer).toMatch(/AZ[0-9A-F]{4}$/);
      expect(verifies(answer)).toBe(true);
    }
    expect(talk.closed).toBe(false);
  });

  it('a 35 before any login closes the connection unanswered', async () => {
    const talk = await converse(h.port, [protect(END, 0)]);
    expect(talk.answers).toEqual([]);
    expect(talk.closed).toBe(true);
  });

  it.each([
    ['a message too short to have a code', 'X'],
    ['a 63 cut off in its fixed part', '63001202401'],
  ])('%s closes the connection unanswered and is counted as a bad request of nobody yet', async (_name, body) => {
    const before = readSample(await h.metricsText(), 'gateway_requests_total', { vendor: '_unknown', outcome: 'bad_request', channel: 'sip2' });
    const talk = await converse(h.port, [body]);
    expect(talk.answers).toEqual([]);
    expect(talk.closed).toBe(true);
    expect(readSample(await h.metricsText(), 'gateway_requests_total', { vendor: '_unknown', outcome: 'bad_request', channel: 'sip2' })).toBe(before + 1);
  });

  it('after a login, an unreadable message is counted as the vendor’s bad request', async () => {
    const before = readSample(await h.metricsText(), 'gateway_requests_total', { vendor: 'plain-sip', outcome: 'bad_request', channel: 'sip2' });
    const talk = await converse(h.port, [protect(vendorLogin('plain-sip'), 0), '63001202401']);
    expect(talk.answers).toHaveLength(1);
    expect(talk.closed).toBe(true);
    expect(readSample(await h.metricsText(), 'gateway_requests_total', { vendor: 'plain-sip', outcome: 'bad_request', channel: 'sip2' })).toBe(before + 1);
  });
});
