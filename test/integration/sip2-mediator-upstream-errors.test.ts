import { afterEach, describe, expect, it } from 'vitest';
import type { IlsFault } from '../helpers/fake-ils.ts';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

// Each way the ILS can fail a mediated lookup is counted once, under a fixed kind (refused, reset,
// timeout, bad_status), as an upstream error and an upstream_error request of the sip2 channel,
// with nothing proxied; the vendor's connection closes unanswered.

const LOOKUP = protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 1);
const KINDS = ['refused', 'reset', 'timeout', 'bad_status'] as const;

let h: MediatorHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('SIP2 mediator: what an ILS fault is counted as', () => {
  it.each<[string, IlsFault | 'down', (typeof KINDS)[number]]>([
    ['an ILS that is down (connection refused)', 'down', 'refused'],
    ['an ILS that closes the connection', 'close', 'reset'],
    ['an ILS that never answers', 'hang', 'timeout'],
    ['an ILS that sends bytes that are not SIP2', 'garbage', 'bad_status'],
    ['an ILS answer without BL', 'no-bl', 'bad_status'],
    ['an ILS answer without CQ although a PIN was sent', 'no-cq', 'bad_status'],
    ['an ILS that refuses the gateway’s login', 'refuse-login', 'bad_status'],
  ])('%s: upstream error kind %s, once', async (_name, fault, kind) => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')], ilsTimeoutMs: 200 });
    if (fault === 'down') await h.ils.stop();
    else h.ils.setFault(fault);
    const talk = await converse(h.port, [protect(vendorLogin('count-sip'), 0), LOOKUP]);
    expect(talk.answers).toHaveLength(1);
    expect(talk.closed).toBe(true);
    const text = await h.metricsText();
    for (const other of KINDS) expect(readSample(text, 'gateway_upstream_errors_total', { vendor: 'count-sip', kind: other, channel: 'sip2' }), other).toBe(other === kind ? 1 : 0);
    expect(readSample(text, 'gateway_requests_total', { vendor: 'count-sip', outcome: 'upstream_error', channel: 'sip2' })).toBe(1);
    expect(readSample(text, 'gateway_requests_total', { vendor: 'count-sip', outcome: 'proxied', channel: 'sip2' })).toBe(0);
    expect(h.logs.join('\n')).toContain(`"kind":"${kind}"`);
  });

  it('a lookup the ILS answers is counted as proxied, with its time inside the gateway observed once', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')] });
    const talk = await converse(h.port, [protect(vendorLogin('count-sip'), 0), LOOKUP]);
    expect(talk.answers[1]).toMatch(/^64/);
    const text = await h.metricsText();
    expect(readSample(text, 'gateway_requests_total', { vendor: 'count-sip', outcome: 'proxied', channel: 'sip2' })).toBe(1);
    expect(readSample(text, 'gateway_requests_total', { vendor: 'count-sip', outcome: 'upstream_error', channel: 'sip2' })).toBe(0);
    const overhead = text.split('\n').filter((line) => line.includes('channel="sip2"') && line.includes('vendor="count-sip"') && /_(count|sum)\{/.test(line));
    const count = overhead.find((line) => /_count\{/.test(line) && line.includes('overhead'));
    const sum = overhead.find((line) => /_sum\{/.test(line) && line.includes('overhead'));
    expect(count?.split(' ').at(-1)).toBe('1');
    // A duration: never negative (the time the ILS took is left out, not subtracted twice).
    expect(Number(sum?.split(' ').at(-1))).toBeGreaterThanOrEqual(0);
  });
});
