import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';
import { compileOrThrow, contractYaml } from '../helpers/contracts.ts';

describe('SIP2 mediator: vendor logins and throttles', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({
      contracts: [
        sip2Contract('alpha-sip'),
        sip2Contract('pin-sip', 'identity: { delivery: sip2, sip2: { pin: required } }'),
        // An HTTP vendor with SIP2 credentials in this harness: its login must still be refused.
        compileOrThrow(contractYaml({}, 'http-vendor'), 'vendors/http-vendor.yaml'),
        compileOrThrow(contractYaml({ upstream: '', identity: 'identity: { delivery: sip2 }', contract: 'contract: { reference: T-2, effective: 2025-01-01, expires: 2025-12-31 }' }, 'expired-sip'), 'vendors/expired-sip.yaml'),
      ],
      loginFailures: 6,
      pinFailures: 3,
    });
  });
  afterAll(() => h.close());

  it.each([
    ['a wrong password', '9300CNalpha-sip-user|COwrong|'],
    ['another vendor’s password', '9300CNalpha-sip-user|COpin-sip-secret|'],
    ['an unknown user', '9300CNnobody|COalpha-sip-secret|'],
    ['the credentials of a vendor whose contract is not sip2', vendorLogin('http-vendor')],
    ['the credentials of a vendor whose contract has expired', vendorLogin('expired-sip')],
  ])('%s: 940, then the connection closes; the ILS never sees it', async (_name, login) => {
    const before = h.ils.received.length;
    const talk = await converse(h.port, [protect(login, 0), protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 1)]);
    expect(talk.answers).toEqual([expect.stringMatching(/^940AY0AZ[0-9A-F]{4}$/)]);
    expect(talk.closed).toBe(true);
    expect(h.ils.received.length).toBe(before);
  });

  it('PIN required: a lookup without AD, or with an empty AD, never reaches the ILS and the connection closes', async () => {
    const before = h.ils.count('63');
    for (const lookup of ['6300120240101    120000          AOUWOLS|AAdjfiander|AC|', '6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD|']) {
      const talk = await converse(h.port, [protect(vendorLogin('pin-sip'), 0), protect(lookup, 1)]);
      expect(talk.answers).toHaveLength(1);
      expect(talk.closed).toBe(true);
    }
    expect(h.ils.count('63')).toBe(before);
    const withPin = await converse(h.port, [protect(vendorLogin('pin-sip'), 0), protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 1)]);
    expect(withPin.answers[1]).toMatch(/^64.*BLY\|CQY\|/);
  });

  it('wrong PINs for one card are throttled: after the limit the ILS is not asked and the connection closes; another card still works', async () => {
    const wrong = (seq: number): string => protect('2300120240101    120000AOUWOLS|AAmiker|AC|ADguess|', seq);
    const first = await converse(h.port, [protect(vendorLogin('alpha-sip'), 0), wrong(1), wrong(2), wrong(3)]);
    expect(first.answers.slice(1).every((a) => /BLY\|CQN\|/.test(a))).toBe(true);
    const asked = h.ils.received.filter((m) => m.text.includes('AAmiker')).length;
    const throttled = await converse(h.port, [protect(vendorLogin('alpha-sip'), 0), wrong(1)]);
    expect(throttled.answers).toHaveLength(1);
    expect(throttled.closed).toBe(true);
    expect(h.ils.received.filter((m) => m.text.includes('AAmiker')).length).toBe(asked);
    const other = await converse(h.port, [protect(vendorLogin('alpha-sip'), 0), protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|', 1)]);
    expect(other.answers[1]).toMatch(/BLY\|CQY\|/);
    expect(readSample(await h.metricsText(), 'gateway_requests_total', { vendor: 'alpha-sip', outcome: 'throttled', channel: 'sip2' })).toBe(1);
  });

  it('failed logins are throttled per address: after the limit even the right credentials get 940', async () => {
    for (let i = 0; i < 6; i++) await converse(h.port, [protect('9300CNalpha-sip-user|COnope|', 0)]);
    const talk = await converse(h.port, [protect(vendorLogin('alpha-sip'), 0)]);
    expect(talk.answers).toEqual([expect.stringMatching(/^940/)]);
    expect(readSample(await h.metricsText(), 'gateway_requests_total', { vendor: '_unknown', outcome: 'throttled', channel: 'sip2' })).toBeGreaterThanOrEqual(1);
  });
});
