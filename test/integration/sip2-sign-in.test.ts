import { afterEach, describe, expect, it } from 'vitest';
import type { FakePatron } from '../helpers/fake-ils.ts';
import { postSignIn, readSessionCookie, SIP_PASSWORD, startSip2Gateway, type Sip2Gateway } from '../helpers/sip2-gateway.ts';

const CANARY_PIN = 'pin-canary-7391';
const CANARY: FakePatron = {
  barcode: 'card-canary-5520',
  pin: CANARY_PIN,
  name: 'Canaria Testerova',
  address: '12 Canary Row, Springfield',
  email: 'canary-mail@example.test',
  phone: '555-0199',
  before: [['AQ', 'branch-canary']],
  after: [['PB', '19800505'], ['PC', 'adult'], ['XI', 'ils-id-canary-42']],
};

let running: Sip2Gateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('signing in against the ILS over SIP2 (patrons.source: sip2)', () => {
  it('a right PIN (BLY CQY) signs in: 93 once per connection, 99 for protocol 2.00, then a 63 with a blank summary, the PIN in AD and our AO', async () => {
    running = await startSip2Gateway({ ils: { patrons: [CANARY] } });
    const response = await postSignIn(running.gateway.url, CANARY.barcode, CANARY_PIN);
    expect(response.status).toBe(303);
    expect(readSessionCookie(response)).toBeDefined();
    const { ils } = running;
    expect(ils.received.map((message) => message.code)).toEqual(['93', '99', '63']);
    const [login, status, lookup] = ils.received;
    expect(login?.text).toMatch(/^9300CNgw-sip-account\|COgw-sip-secret-3141\|CPgateway\|AY0AZ[0-9A-F]{4}$/);
    expect(status?.text).toMatch(/^99[0-2].{3}2\.00AY1AZ[0-9A-F]{4}$/);
    // 63: language, our clock (frozen by the harness, in UTC), 10 blanks, then AO, AA, AC, AD.
    expect(lookup?.text).toMatch(new RegExp(`^63000\\d{8}   Z\\d{6} {10}AOUWOLS\\|AA${CANARY.barcode}\\|AC\\|AD${CANARY_PIN}\\|AY2AZ[0-9A-F]{4}$`));
    expect(lookup?.text.slice(5, 23)).toBe('20261129   Z120000');
  });

  it.each([
    ['a wrong PIN (BLY CQN)', 'djfiander', 'badpin'],
    ['an unknown card (BLN)', 'nosuchpatron', '1234'],
    ['a patron without a PIN at the ILS', 'miker', '1234'],
  ])('%s gets the same "wrong card or PIN" page as any other, and no session', async (_name, barcode, pin) => {
    running = await startSip2Gateway();
    const response = await postSignIn(running.gateway.url, barcode, pin);
    expect(response.status).toBe(401);
    expect(readSessionCookie(response)).toBeUndefined();
    expect(await response.text()).not.toMatch(/cannot check cards/);
    expect(running.ils.count('63')).toBe(1);
  });

  it.each([
    ['an empty PIN (an empty AD would count as sent)', 'djfiander', ''],
    ['an empty card number', '', '6789'],
    ['a card number with a field delimiter (it could forge a field)', 'djfiander|ADx', '6789'],
  ])('%s is refused without asking the ILS', async (_name, barcode, pin) => {
    running = await startSip2Gateway();
    const response = await postSignIn(running.gateway.url, barcode, pin);
    expect(response.status).toBe(401);
    expect(running.ils.count('63')).toBe(0);
  });

  it('a PIN with | or CR cannot forge a field: it travels escaped inside AD', async () => {
    running = await startSip2Gateway();
    const response = await postSignIn(running.gateway.url, 'djfiander', '6789|CQY\rBLY');
    expect(response.status).toBe(401);
    const lookup = running.ils.received.find((message) => message.code === '63');
    expect(lookup?.text).toContain('|AD6789&#124;CQY BLY|AY');
    expect(running.ils.received.map((message) => message.code)).toEqual(['93', '99', '63']);
  });

  it('the PIN, the card number, the name and the SIP password appear in no log line', async () => {
    running = await startSip2Gateway({ ils: { patrons: [CANARY] } });
    expect((await postSignIn(running.gateway.url, CANARY.barcode, CANARY_PIN)).status).toBe(303);
    expect((await postSignIn(running.gateway.url, CANARY.barcode, 'pin-canary-wrong')).status).toBe(401);
    running.ils.setFault('garbage');
    expect((await postSignIn(running.gateway.url, CANARY.barcode, CANARY_PIN)).status).toBe(503);
    const logs = running.gateway.logs.join('\n');
    expect(logs).toContain('ils_unavailable');
    for (const value of [CANARY_PIN, 'pin-canary-wrong', CANARY.barcode, 'Canaria', 'Testerova', 'canary-mail', 'ils-id-canary', SIP_PASSWORD, '127.0.0.1:' + running.ils.port]) expect(logs).not.toContain(value);
  });

  it('concurrent sign-ins share at most `pool` connections, each logged in once', async () => {
    running = await startSip2Gateway({ ils: { slowMs: 50 }, sip2: { pool: 2 } });
    running.ils.setFault('slow');
    const responses = await Promise.all(Array.from({ length: 8 }, () => postSignIn(running?.gateway.url ?? '', 'djfiander', '6789')));
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(303));
    expect(running.ils.connections()).toBeLessThanOrEqual(2);
    expect(running.ils.count('93')).toBe(running.ils.connections());
    expect(running.ils.count('63')).toBe(8);
  });

  it.each([
    ['CR LF terminators', { terminator: '\r\n' as const }],
    ['lowercase checksum hex', { lowercaseChecksum: true }],
    ['answers split over three writes', { splitWrites: true }],
    ["Koha's order (AE before AA)", { nameFirst: true }],
  ])('an ILS with %s (reference 8.5) still signs patrons in', async (_name, quirk) => {
    running = await startSip2Gateway({ ils: quirk });
    expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(303);
    expect((await postSignIn(running.gateway.url, 'djfiander', 'badpin')).status).toBe(401);
  });

  it('a signed-in patron is served on returning requests (the record comes from the per-session cache)', async () => {
    running = await startSip2Gateway();
    const response = await postSignIn(running.gateway.url, 'djfiander', '6789');
    const cookie = (readSessionCookie(response) ?? '').split(';')[0] ?? '';
    const home = await fetch(`${running.gateway.url}/`, { headers: { cookie } });
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/logout/i);
    expect(running.ils.count('63')).toBe(1);
  });
});
