import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

/** Block patron, and circulation, hold, fee, item and patron-enable messages (reference 10.2), well formed. */
const REFUSED: ReadonlyArray<readonly [string, string]> = [
  ['01 block patron (disables the card)', '01N20240101    120000AOUWOLS|ALCard retained by test|AAmiker|AC|'],
  ['11 checkout', '11YN20240101    12000020240101    120000AOUWOLS|AAmiker|ABitem1|AC|'],
  ['09 checkin', '09N20240101    12000020240101    120000APdesk|AOUWOLS|ABitem1|AC|'],
  ['15 hold', '15+20240101    120000AOUWOLS|AAmiker|AC|ABitem1|'],
  ['17 item information', '1720240101    120000AOUWOLS|ABitem1|AC|'],
  ['19 item status update', '1920240101    120000AOUWOLS|ABitem1|AC|CHx|'],
  ['25 patron enable', '2520240101    120000AOUWOLS|AAmiker|AC|'],
  ['29 renew', '29NN20240101    12000020240101    120000AOUWOLS|AAmiker|AC|ABitem1|'],
  ['37 fee paid', '3720240101    1200000100USDAOUWOLS|AAmiker|AC|BV1.00|'],
  ['65 renew all', '6520240101    120000AOUWOLS|AAmiker|AC|'],
  ['an unknown code', '42whatever|AAmiker|'],
  ['an ACS-side message (64) sent by a vendor', '64              00020261129    061540000000000000000000000000AOUWOLS|AAmiker|AE|BLY|'],
];

describe('SIP2 mediator: 01 and circulation messages never reach the ILS', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({ contracts: [sip2Contract('refuse-sip')] });
  });
  afterAll(() => h.close());

  it.each(REFUSED)('%s: the connection closes unanswered, the ILS receives nothing, the refusal is counted', async (_name, body) => {
    const before = h.ils.received.length;
    const talk = await converse(h.port, [protect(vendorLogin('refuse-sip'), 0), protect(body, 1), protect('6300120240101    120000          AOUWOLS|AAmiker|AC|', 2)]);
    expect(talk.answers).toHaveLength(1);
    expect(talk.closed).toBe(true);
    expect(h.ils.received.slice(before)).toEqual([]);
  });

  it('refused messages are counted with channel sip2', async () => {
    const text = await h.metricsText();
    expect(readSample(text, 'gateway_requests_total', { vendor: 'refuse-sip', outcome: 'refused', channel: 'sip2' })).toBe(REFUSED.length - 1);
    expect(readSample(text, 'gateway_requests_total', { vendor: 'refuse-sip', outcome: 'bad_request', channel: 'sip2' })).toBe(1);
  });

  it.each([
    ['a 63 before any login', '6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|'],
    ['a 23 before any login', '2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|'],
    ['a 35 before any login', '3520240101    120000AOUWOLS|AAdjfiander|AC|'],
  ])('%s: closed, the ILS untouched', async (_name, body) => {
    const before = h.ils.received.length;
    const talk = await converse(h.port, [protect(body, 0)]);
    expect(talk.answers).toEqual([]);
    expect(talk.closed).toBe(true);
    expect(h.ils.received.length).toBe(before);
  });
});
