import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, readFields, sip2Contract, startMediator, vendorLogin, verifies, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

describe('SIP2 mediator: checksums and sequence numbers on both legs, resend, framing', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({ contracts: [sip2Contract('frame-sip')], ils: { lowercaseChecksum: true, splitWrites: true, terminator: '\r\n', nameFirst: true } });
  });
  afterAll(() => h.close());

  it('every answer verifies and echoes the vendor’s AY, through a wrap from 9 to 0, whatever the ILS’s quirks (lowercase hex, CR LF, split writes, AE first)', async () => {
    const lookups = Array.from({ length: 12 }, (_, i) => protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|', (i + 1) % 10));
    const talk = await converse(h.port, [protect(vendorLogin('frame-sip'), 0), ...lookups]);
    expect(talk.answers).toHaveLength(13);
    talk.answers.forEach((answer, i) => {
      expect(verifies(answer), answer).toBe(true);
      expect(answer).toMatch(new RegExp(`AY${i % 10}AZ[0-9A-F]{4}$`));
    });
    expect(readFields(talk.answers[1] as string, 37)).toEqual([['AO', 'UWOLS'], ['AA', 'djfiander'], ['AE', ''], ['BL', 'Y'], ['CQ', 'Y']]);
  });

  it('the ILS leg has its own sequence: each upstream request verifies and counts up from the gateway’s own login, never copying the vendor’s AY', async () => {
    const before = h.ils.received.length;
    await converse(h.port, [protect(vendorLogin('frame-sip'), 7), protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|', 7), protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|', 7)]);
    const upstream = h.ils.received.slice(before).filter((m) => m.code === '63');
    expect(upstream).toHaveLength(2);
    const sequences = upstream.map((m) => Number(/AY(\d)AZ/.exec(m.text)?.[1]));
    expect(sequences[1]).toBe(((sequences[0] as number) + 1) % 10);
    for (const message of upstream) expect(verifies(message.text)).toBe(true);
  });

  it('a bad checksum from the vendor gets 96 and nothing reaches the ILS; 97 gets the last answer again, byte for byte', async () => {
    const before = h.ils.count('63');
    const talk = await converse(h.port, [protect(vendorLogin('frame-sip'), 0), '2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|AY1AZ0000', protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 2), '97AZFEF5']);
    expect(talk.answers[1]).toBe('96AZFEF6');
    expect(h.ils.count('63')).toBe(before + 1);
    expect(talk.answers[3]).toBe(talk.answers[2]);
  });

  it('a 97 before any answer gets 96', async () => {
    const talk = await converse(h.port, ['97AZFEF5']);
    expect(talk.answers).toEqual(['96AZFEF6']);
  });

  it('vendor framing quirks: CR LF, two messages in one write, one message over three writes', async () => {
    const answers = await new Promise<string[]>((resolve) => {
      const socket = connect(h.port, '127.0.0.1');
      const got: string[] = [];
      let buffer = '';
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\r');
        buffer = parts.pop() ?? '';
        got.push(...parts);
        if (got.length === 3) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on('connect', () => {
        const lookup = `${protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|', 2)}\r\n`;
        socket.write(`${protect(vendorLogin('frame-sip'), 0)}\r\n${protect('9900302.00', 1)}\r\n`);
        socket.write(lookup.slice(0, 10));
        setTimeout(() => socket.write(lookup.slice(10, 30)), 20);
        setTimeout(() => socket.write(lookup.slice(30)), 40);
      });
    });
    expect(answers[0]).toMatch(/^941AY0/);
    expect(answers[1]).toMatch(/^98Y.*AY1AZ/);
    expect(answers[2]).toMatch(/^24.*BLY\|CQY\|AY2AZ/);
  });
});

describe('SIP2 mediator: a flood of pipelined messages', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({ contracts: [sip2Contract('flood-sip')], ils: { slowMs: 200 } });
  });
  afterAll(() => h.close());

  it('more than 16 messages waiting on one connection close it; the ILS sees at most the first few', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(h.port, '127.0.0.1');
      socket.on('connect', () => {
        const lookups = Array.from({ length: 100 }, (_, i) => `${protect('2300120240101    120000AOUWOLS|AAdjfiander|AC|AD6789|', (i + 1) % 10)}\r`).join('');
        socket.write(`${protect(vendorLogin('flood-sip'), 0)}\r${lookups}`);
      });
      socket.on('data', () => undefined);
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
      setTimeout(() => resolve(false), 3000);
    });
    expect(closed).toBe(true);
    expect(h.ils.count('63')).toBeLessThanOrEqual(1);
  });

  it.each([
    [16, false],
    [17, true],
  ])('%i messages in one write: at most 16 may wait, so the 17th closes the connection unanswered', async (count, closes) => {
    const floods = readSample(await h.metricsText(), 'gateway_requests_total', { vendor: '_unknown', outcome: 'bad_request', channel: 'sip2' });
    const answers: string[] = [];
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(h.port, '127.0.0.1');
      let buffer = '';
      socket.on('connect', () => {
        const statuses = Array.from({ length: count - 1 }, (_, i) => `${protect('9900302.00', (i + 1) % 10)}\r`).join('');
        socket.write(`${protect(vendorLogin('flood-sip'), 0)}\r${statuses}`);
      });
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\r');
        buffer = parts.pop() ?? '';
        answers.push(...parts);
        if (answers.length === count) {
          socket.destroy();
          resolve(false);
        }
      });
      socket.on('close', () => resolve(true));
      socket.on('error', () => undefined);
      setTimeout(() => resolve(false), 3000);
    });
    expect(closed).toBe(closes);
    expect(answers).toHaveLength(closes ? 0 : count);
    if (!closes) expect(answers.slice(1).every((answer, i) => answer.startsWith('98') && answer.includes(`AY${(i + 1) % 10}AZ`))).toBe(true);
    expect(readSample(await h.metricsText(), 'gateway_requests_total', { vendor: '_unknown', outcome: 'bad_request', channel: 'sip2' })).toBe(floods + (closes ? 1 : 0));
  });
});
