import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IlsFault } from '../helpers/fake-ils.ts';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

const LOOKUP_WITH_PIN = protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 1);

describe('SIP2 mediator: fail closed when the ILS cannot answer (no made-up 24 or 64)', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({ contracts: [sip2Contract('faults-sip')], ilsTimeoutMs: 300, ils: { slowMs: 1500 } });
  });
  afterAll(() => h.close());

  it.each<[string, IlsFault]>([
    ['the ILS never answers (timeout)', 'hang'],
    ['the ILS answers too late', 'slow'],
    ['the ILS sends bytes that are not SIP2', 'garbage'],
    ['the ILS leaves BL out ("unknown" is not "invalid")', 'no-bl'],
    ['the ILS leaves CQ out although a PIN was sent ("not checked" is not "right")', 'no-cq'],
    ['the ILS closes the connection', 'close'],
    ['the ILS closes in the middle of its answer', 'close-mid-message'],
    ['the ILS answer has a wrong checksum', 'wrong-checksum'],
    ['the ILS answer has another sequence number', 'wrong-sequence'],
    ['the ILS answers with another message', 'wrong-message'],
    ['the ILS refuses the gateway’s login', 'refuse-login'],
  ])('%s: the vendor connection closes without an answer', async (_name, fault) => {
    h.ils.setFault(fault);
    h.ils.dropConnections();
    try {
      const talk = await converse(h.port, [protect(vendorLogin('faults-sip'), 0), LOOKUP_WITH_PIN]);
      expect(talk.answers).toHaveLength(1);
      expect(talk.answers[0]).toMatch(/^941/);
      expect(talk.closed).toBe(true);
    } finally {
      h.ils.setFault('none');
    }
  });

  it('the ILS down: closed; a later 99 says off-line; once the ILS is back, lookups work again and 99 says on-line', async () => {
    h.ils.dropConnections();
    await h.ils.stop();
    const down = await converse(h.port, [protect(vendorLogin('faults-sip'), 0), LOOKUP_WITH_PIN]);
    expect(down.closed).toBe(true);
    expect(down.answers).toHaveLength(1);
    const status = await converse(h.port, [protect('9900302.00', 0)]);
    expect(status.answers[0]).toMatch(/^98N/);
    await h.ils.start();
    // The client reconnects after its backoff: a vendor that tries again gets answers again.
    let back = await converse(h.port, [protect(vendorLogin('faults-sip'), 0), LOOKUP_WITH_PIN, protect('9900302.00', 2)]);
    for (let attempt = 0; attempt < 20 && back.answers.length < 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      back = await converse(h.port, [protect(vendorLogin('faults-sip'), 0), LOOKUP_WITH_PIN, protect('9900302.00', 2)]);
    }
    expect(back.answers[1]).toMatch(/^64/);
    expect(back.answers[2]).toMatch(/^98Y/);
  });

  it('every failure is counted as an upstream error of the sip2 channel', async () => {
    const text = await h.metricsText();
    expect(readSample(text, 'gateway_requests_total', { vendor: 'faults-sip', outcome: 'upstream_error', channel: 'sip2' })).toBeGreaterThanOrEqual(12);
    expect(readSample(text, 'gateway_upstream_errors_total', { vendor: 'faults-sip', kind: 'timeout', channel: 'sip2' })).toBeGreaterThanOrEqual(2);
  });
});
