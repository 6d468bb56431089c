import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

/** A canary patron: every value is unique, so any leak into logs or metrics is found exactly. */
const CANARY = {
  barcode: 'cnrybarcode7731',
  pin: 'cnrypin7731',
  name: 'Cnryfirst Cnrylast',
  email: 'cnrymail7731@example.org',
  phone: 'cnryphone7731',
  address: 'cnryaddress7731',
  status: 'YY  Y         ',
  after: [['PB', '19700101'], ['PC', 'cnryclass7731'], ['XI', 'cnryinternal7731'], ['AQ', 'cnrybranch7731']] as Array<[string, string]>,
};
const SECRETS = ['cnry', 'canary-sip-user', 'canary-sip-secret', 'scclient', 'clientpwd'];

describe('SIP2 mediator: nothing about the patron, the PIN or the vendor’s credentials in logs or metrics', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({
      contracts: [sip2Contract('canary-sip', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied] } }', 'fields: { patronId: { action: pseudonymize }, email: { action: pass }, firstName: { action: pass } }')],
      ils: { patrons: [CANARY] },
      pinFailures: 2,
      loginFailures: 2,
    });
  });
  afterAll(() => h.close());

  it('after lookups, wrong PINs, throttling, refusals, failed logins and an ILS fault, no canary value is logged or in /metrics', async () => {
    const lookup = (pin: string, seq: number): string => protect(`6300120240101    120000          AOUWOLS|AA${CANARY.barcode}|AC|AD${pin}|`, seq);
    const ok = await converse(h.port, [protect(vendorLogin('canary-sip'), 0), lookup(CANARY.pin, 1), lookup('cnrywrong', 2), lookup('cnrywrong', 3)]);
    // The vendor does get what its contract releases (so the canaries were really in play).
    expect(ok.answers[1]).toContain(CANARY.email);
    await converse(h.port, [protect(vendorLogin('canary-sip'), 0), lookup('cnrywrong', 1)]);
    await converse(h.port, [protect(vendorLogin('canary-sip'), 0), protect(`01N20240101    120000AOUWOLS|ALcnryblock|AA${CANARY.barcode}|AC|`, 1)]);
    h.ils.setFault('garbage');
    // Another card (this one's PIN throttle is spent by now).
    const fault = await converse(h.port, [protect(vendorLogin('canary-sip'), 0), protect('6300120240101    120000          AOUWOLS|AAcnryothercard|AC|ADcnryotherpin|', 1)]);
    h.ils.setFault('none');
    expect(fault.answers).toEqual([expect.stringMatching(/^941/)]);
    // Failed logins last: past the limit, this address cannot log in any more.
    await converse(h.port, [protect('9300CNcanary-sip-user|COcnrywrongsecret|', 0)]);
    await converse(h.port, [protect('9300CNcanary-sip-user|COcnrywrongsecret|', 0)]);
    await converse(h.port, [protect('9300CNcanary-sip-user|COcnrywrongsecret|', 0)]);
    const logs = h.logs.join('\n');
    const metrics = await h.metricsText();
    // What needs attention is logged, with labels only.
    const events = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).map(({ msg, vendor, outcome, kind }) => ({ msg, vendor, outcome, kind }));
    expect(events).toEqual(
      expect.arrayContaining([
        { msg: 'sip2 lookup throttled', vendor: 'canary-sip', outcome: 'throttled', kind: undefined },
        { msg: 'sip2 message refused', vendor: 'canary-sip', outcome: 'refused', kind: undefined },
        { msg: 'sip2 login refused', vendor: undefined, outcome: 'unauthenticated', kind: undefined },
        { msg: 'sip2 login throttled', vendor: undefined, outcome: 'throttled', kind: undefined },
        { msg: 'sip2 ILS cannot answer', vendor: 'canary-sip', outcome: undefined, kind: 'bad_status' },
      ]),
    );
    for (const secret of SECRETS) {
      expect(logs).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
    expect(metrics).toMatch(/gateway_requests_total\{vendor="canary-sip",outcome="proxied",channel="sip2"\} [1-9]/);
    expect(metrics).toMatch(/gateway_field_releases_total\{vendor="canary-sip",field="email",action="passed",channel="sip2"\} [1-9]/);
  });
});
