import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakePatron } from '../helpers/fake-ils.ts';
import { TRANSCRIPT_PATRONS } from '../helpers/fake-ils.ts';
import { readSample } from '../helpers/prometheus.ts';
import { signed, startScriptedServer } from '../helpers/scripted-sip2-server.ts';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

// What a mediated lookup counts, and against whom: the per-card throttle counts wrong PINs and
// unknown cards, never a valid card looked up without a PIN and never an ILS outage; a patron the
// contract blocks (a minor) is counted as blocked_minor; the vendor's language is echoed only when
// it is a SIP2 language code. Plus two ways a vendor connection ends badly without harming others.

const NO_BIRTH_DATE: FakePatron = { barcode: 'kid-1', pin: '1', name: 'Kim Kid' };
const LOGIN = protect(vendorLogin('count-sip'), 0);
const LOOKUP = (card: string, pin: string | undefined, sequence = 1, language = '001'): string =>
  protect(`63${language}20240101    120000          AOUWOLS|AA${card}|AC|${pin === undefined ? '' : `AD${pin}|`}`, sequence);

let h: MediatorHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const requests = async (outcome: string): Promise<number> => readSample(await (h as MediatorHarness).metricsText(), 'gateway_requests_total', { vendor: 'count-sip', outcome, channel: 'sip2' });

describe('SIP2 mediator: what a lookup counts', () => {
  it('a patron the contract blocks (no birth date: treated as under 13) is counted as blocked_minor, not proxied', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')], ils: { patrons: [...TRANSCRIPT_PATRONS, NO_BIRTH_DATE] } });
    const talk = await converse(h.port, [LOGIN, LOOKUP('kid-1', '1')]);
    expect(talk.answers[1]).toMatch(/^64/);
    expect(await requests('blocked_minor')).toBe(1);
    expect(await requests('proxied')).toBe(0);
  });

  it.each([
    ['a SIP2 language code is echoed', '004', '004'],
    ['an unknown language code becomes 000 (unknown)', '999', '000'],
  ])('%s', async (_name, sent, echoed) => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')] });
    const talk = await converse(h.port, [LOGIN, LOOKUP('djfiander', '6789', 1, sent)]);
    expect(talk.answers[1]?.slice(16, 19)).toBe(echoed);
  });

  it('an unknown card gets no pseudonym, even from a contract that releases one', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip', 'identity: { delivery: sip2 }', 'fields: { patronId: { action: pseudonymize } }')] });
    const talk = await converse(h.port, [LOGIN, LOOKUP('nosuchcard', undefined), LOOKUP('miker', undefined, 2)]);
    expect(talk.answers[1]).toMatch(/\|AAnosuchcard\|AE\|BLN\|AY1AZ[0-9A-F]{4}$/);
    expect(talk.answers[2]).toMatch(/\|BLY\|XI[^|]+\|AY2AZ/);
    // Only the known card's pseudonym was released.
    expect(readSample(await h.metricsText(), 'gateway_field_releases_total', { vendor: 'count-sip', field: 'patronId', action: 'pseudonymized', channel: 'sip2' })).toBe(1);
  });

  it('fines released as an amount travel as BV and BH, as the ILS wrote them', async () => {
    const fined: FakePatron = { barcode: 'fined-1', pin: '1', name: 'Fay Fined', after: [['PB', '19700101'], ['BH', 'USD'], ['BV', '2.50']] };
    h = await startMediator({ contracts: [sip2Contract('count-sip', 'identity: { delivery: sip2, sip2: { fines: amount } }')], ils: { patrons: [fined] } });
    const talk = await converse(h.port, [LOGIN, LOOKUP('fined-1', '1')]);
    expect(talk.answers[1]).toMatch(/\|BLY\|CQY\|BHUSD\|BV2\.50\|AY1AZ/);
  });

  it('a 23 without a PIN gets no CQ', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')] });
    const talk = await converse(h.port, [LOGIN, protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|', 1)]);
    expect(talk.answers[1]).toMatch(/^24.*\|AAdjfiander\|AE\|BLY\|AY1AZ[0-9A-F]{4}$/);
  });

  it('a lookup without a PIN gets no CQ even from an ILS that sends CQ anyway', async () => {
    const ils = await startScriptedServer((line, _index, socket) => {
      const sequence = /AY(\d)AZ/.exec(line)?.[1] ?? '0';
      const answer = line.startsWith('93') ? '941' : line.startsWith('99') ? '98YNNYNN60000320261129    0615402.00AOUWOLS|' : '64              00020261129    061540000000000000000000000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQN|PB19640925|';
      socket.write(`${signed(`${answer}AY${sequence}AZ`)}\r`);
    });
    try {
      h = await startMediator({ contracts: [sip2Contract('count-sip')], ilsAddress: { host: '127.0.0.1', port: ils.port } });
      const talk = await converse(h.port, [LOGIN, protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|', 1)]);
      expect(talk.answers[1]).toMatch(/^24.*\|AAdjfiander\|AE\|BLY\|AY1AZ[0-9A-F]{4}$/);
    } finally {
      await ils.close();
    }
  });

  it('a contract that releases the expiry date gets it in PA, read from the ILS’s PA field', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip', 'identity: { delivery: sip2, sip2: { expiry: date } }')] });
    const talk = await converse(h.port, [LOGIN, LOOKUP('djfiander', '6789')]);
    expect(talk.answers[1]).toMatch(/\|PA20501231\|AY1AZ/);
  });

  it('the time inside the gateway leaves out the ILS’s time: never more than the exchange took, less the ILS’s delay', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')], ils: { slowMs: 200 } });
    await converse(h.port, [LOGIN]);
    h.ils.setFault('slow');
    const started = performance.now();
    const talk = await converse(h.port, [LOGIN, LOOKUP('djfiander', '6789')]);
    const took = (performance.now() - started) / 1000;
    expect(talk.answers[1]).toMatch(/^64/);
    const text = await h.metricsText();
    const sample = (suffix: string): number => Number(/ (\S+)$/.exec(text.split('\n').find((line) => line.startsWith(`gateway_overhead_seconds_${suffix}{`) && line.includes('vendor="count-sip"') && line.includes('channel="sip2"')) ?? '')?.[1]);
    expect(sample('count')).toBe(1);
    expect(sample('sum')).toBeGreaterThanOrEqual(0);
    expect(sample('sum')).toBeLessThanOrEqual(took - 0.15);
  });

  it('valid cards looked up without a PIN are never throttled', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')], pinFailures: 2 });
    for (let attempt = 0; attempt < 4; attempt++) expect((await converse(h.port, [LOGIN, LOOKUP('miker', undefined)])).answers[1]).toMatch(/BLY\|/);
    expect(await requests('throttled')).toBe(0);
  });

  it('an unknown card with a PIN is answered BL N without CQ (the ILS leaves CQ out for it), not taken for an outage', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')] });
    const talk = await converse(h.port, [LOGIN, LOOKUP('nosuchcard', '1'), protect('9900302.00', 2)]);
    expect(talk.answers[1]).toMatch(/\|AAnosuchcard\|AE\|BLN\|AY1AZ[0-9A-F]{4}$/);
    expect(talk.answers[2]).toMatch(/^98Y/);
    expect(talk.closed).toBe(false);
    expect(await requests('upstream_error')).toBe(0);
  });

  it('unknown cards count against that card: after the limit the ILS is not asked', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')], pinFailures: 2 });
    for (let attempt = 0; attempt < 2; attempt++) expect((await converse(h.port, [LOGIN, LOOKUP('nosuchcard', '1')])).answers[1]).toMatch(/BLN\|/);
    const throttled = await converse(h.port, [LOGIN, LOOKUP('nosuchcard', '1')]);
    expect(throttled.answers).toHaveLength(1);
    expect(throttled.closed).toBe(true);
    expect(h.ils.count('63')).toBe(2);
    expect(await requests('throttled')).toBe(1);
  });

  it('an ILS outage never counts against the card: more failures than the limit, then the right PIN is answered', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')], pinFailures: 2 });
    h.ils.setFault('garbage');
    for (let attempt = 0; attempt < 3; attempt++) expect((await converse(h.port, [LOGIN, LOOKUP('djfiander', '6789')])).closed).toBe(true);
    h.ils.setFault('none');
    let answer: string | undefined;
    for (let attempt = 0; attempt < 20 && answer === undefined; attempt++) {
      answer = (await converse(h.port, [LOGIN, LOOKUP('djfiander', '6789')])).answers[1];
      if (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(answer).toMatch(/CQY\|/);
    expect(await requests('throttled')).toBe(0);
  });
});

describe('SIP2 mediator: connections that end badly', () => {
  it('a vendor that resets its connection (RST) harms nobody: the next vendor is served', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')], ils: { slowMs: 100 } });
    h.ils.setFault('slow');
    await new Promise<void>((resolve) => {
      const socket = connect(h?.port ?? 0, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write(`${LOGIN}\r${LOOKUP('djfiander', '6789')}\r`));
      socket.once('data', () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    h.ils.setFault('none');
    expect((await converse(h.port, [LOGIN, LOOKUP('djfiander', '6789')])).answers[1]).toMatch(/CQY\|/);
  });

  it('a message longer than the framer allows: what was asked before is answered, then the connection closes', async () => {
    h = await startMediator({ contracts: [sip2Contract('count-sip')] });
    const answers = await new Promise<string[]>((resolve) => {
      const socket = connect(h?.port ?? 0, '127.0.0.1');
      let buffer = '';
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write(`${LOGIN}\r63${'x'.repeat(20_000)}`));
      socket.on('data', (chunk: Buffer) => void (buffer += chunk.toString('utf8')));
      socket.on('close', () => resolve(buffer.split('\r').filter((part) => part !== '')));
      setTimeout(() => {
        socket.destroy();
        resolve(['still open']);
      }, 3000);
    });
    expect(answers).toEqual([expect.stringMatching(/^941AY0AZ/)]);
    expect(h.ils.count('63')).toBe(0);
  });
});
