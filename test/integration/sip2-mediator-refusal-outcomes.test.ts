import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOrThrow, contractYaml } from '../helpers/contracts.ts';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

// Every refusal closes the connection and is counted once, under the right vendor and outcome
// (never as an internal error): refused logins, messages before a login, a lookup without the PIN
// a contract requires. Messages the vendor pipelined after a refusal are never acted on.

const LOOKUP = protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 1);
/** Sent after an answer that should have closed the connection: it must go unanswered. */
const STATUS = protect('9900302.00', 1);
const LOOKUP_NO_PIN = protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|', 1);

describe('SIP2 mediator: refusals and how they are counted', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({
      contracts: [
        sip2Contract('open-sip'),
        sip2Contract('pin-sip', 'identity: { delivery: sip2, sip2: { pin: required } }'),
        compileOrThrow(contractYaml({ upstream: '', identity: 'identity: { delivery: sip2 }', contract: 'contract: { reference: T-2, effective: 2025-01-01, expires: 2025-12-31 }' }, 'ended-sip'), 'vendors/ended-sip.yaml'),
      ],
    });
  });
  afterAll(() => h.close());

  const count = async (vendor: string, outcome: string): Promise<number> => readSample(await h.metricsText(), 'gateway_requests_total', { vendor, outcome, channel: 'sip2' });

  it.each<[string, string[], string, string, string[]]>([
    ['a wrong login: 940, closed, unauthenticated of nobody', [protect('9300CNopen-sip-user|COwrong|', 0), STATUS], '_unknown', 'unauthenticated', ['940AY0']],
    ['the login of a contract that has ended: 940, closed, vendor_closed of that vendor', [protect(vendorLogin('ended-sip'), 0), STATUS], 'ended-sip', 'vendor_closed', ['940AY0']],
    ['a 63 before any login: closed unanswered, unauthenticated of nobody', [LOOKUP], '_unknown', 'unauthenticated', []],
    ['a 01 before any login: closed unanswered, refused of nobody', [protect('01N20240101    120000AOUWOLS|ALx|AAmiker|AC|', 0)], '_unknown', 'refused', []],
    ['a message code SIP2 does not define, after a login: closed unanswered, refused of that vendor', [protect(vendorLogin('open-sip'), 0), protect('42whatever|AAmiker|', 1)], 'open-sip', 'refused', ['941AY0']],
    ['an ACS-side message (a 64) sent by a vendor: closed unanswered, bad_request of that vendor', [protect(vendorLogin('open-sip'), 0), protect('64              00020261129    061540000000000000000000000000AOUWOLS|AAmiker|AE|BLY|', 1)], 'open-sip', 'bad_request', ['941AY0']],
    ['a lookup without the PIN the contract requires: closed unanswered, bad_request of that vendor', [protect(vendorLogin('pin-sip'), 0), LOOKUP_NO_PIN], 'pin-sip', 'bad_request', ['941AY0']],
  ])('%s', async (_name, messages, vendor, outcome, answers) => {
    const before = await count(vendor, outcome);
    const internal = await count('_unknown', 'internal_error');
    const talk = await converse(h.port, messages);
    expect(talk.answers.map((answer) => answer.slice(0, 6))).toEqual(answers);
    expect(talk.closed).toBe(true);
    expect(await count(vendor, outcome)).toBe(before + 1);
    expect(await count('_unknown', 'internal_error')).toBe(internal);
    expect(await count(vendor, 'internal_error')).toBe(0);
  });

  it('a 35 before any login closes unanswered, and is not an internal error', async () => {
    const talk = await converse(h.port, [protect('3520240101    120000AOUWOLS|AAdjfiander|AC|', 0)]);
    expect(talk.answers).toEqual([]);
    expect(talk.closed).toBe(true);
    expect(await count('_unknown', 'internal_error')).toBe(0);
  });

  it('the refused vendor logins are logged by outcome, without the login', async () => {
    await converse(h.port, [protect(vendorLogin('ended-sip'), 0)]);
    await converse(h.port, [protect('9300CNopen-sip-user|COwrong|', 0)]);
    const events = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((event) => event['msg'] === 'sip2 login refused');
    expect(events).toContainEqual(expect.objectContaining({ outcome: 'unauthenticated' }));
    expect(events).toContainEqual(expect.objectContaining({ vendor: 'ended-sip', outcome: 'vendor_closed' }));
    expect(h.logs.join('\n')).not.toMatch(/open-sip-user|ended-sip-secret|wrong/);
  });

  it('messages pipelined after a refusal in the same write are never acted on: the ILS is not asked', async () => {
    const asked = h.ils.count('63');
    const answers = await new Promise<string>((resolve) => {
      const socket = connect(h.port, '127.0.0.1');
      let buffer = '';
      socket.on('error', () => undefined);
      socket.on('connect', () => socket.write(`${protect('9300CNopen-sip-user|COwrong|', 0)}\r${protect(vendorLogin('open-sip'), 1)}\r${LOOKUP}\r`));
      socket.on('data', (chunk: Buffer) => void (buffer += chunk.toString('utf8')));
      socket.on('close', () => resolve(buffer));
      setTimeout(() => {
        socket.destroy();
        resolve(`${buffer}(still open)`);
      }, 3000);
    });
    expect(answers).toMatch(/^940AY0AZ[0-9A-F]{4}\r$/);
    expect(h.ils.count('63')).toBe(asked);
  });

  it('a lookup from a vendor without error detection is answered without a trailer, ended by CR', async () => {
    const talk = await converse(h.port, [vendorLogin('open-sip'), '6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|']);
    expect(talk.answers[1]).toMatch(/^64.*\|BLY\|CQY\|$/);
  });

  it('a lookup from a vendor that sends AZ without AY is answered without AY, with a checksum that verifies', async () => {
    const checksummed = (body: string): string => {
      const text = `${body}AZ`;
      let sum = 0;
      for (const byte of Buffer.from(text, 'utf8')) sum += byte;
      return text + ((-sum) & 0xffff).toString(16).toUpperCase().padStart(4, '0');
    };
    const talk = await converse(h.port, [checksummed(vendorLogin('open-sip')), checksummed('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|')]);
    expect(talk.answers[1]).toMatch(/^64.*\|BLY\|CQY\|AZ[0-9A-F]{4}$/);
    const answer = talk.answers[1] as string;
    let sum = 0;
    for (const byte of Buffer.from(answer.slice(0, -4), 'utf8')) sum += byte;
    expect(((-sum) & 0xffff).toString(16).toUpperCase().padStart(4, '0')).toBe(answer.slice(-4));
  });
});
