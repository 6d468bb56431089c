import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness, type HarnessOptions } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * Sign-in throttling counts failures per card AND per client, and nothing else: a guesser cannot
 * spread one card's PINs over many addresses, a branch behind one NAT address is not locked out by
 * its own successful sign-ins, and X-Forwarded-For is believed only from the proxies named in
 * `trustProxy`. 5 failures per client per minute and per card per 15 minutes here.
 */
const LIMIT = 5;
const CARDS = Array.from({ length: 12 }, (_, i) => ({ record: { patronId: `p-thr-${i}`, barcode: `2740000000${String(i).padStart(4, '0')}`, birthDate: '1980-05-05' }, pin: `7${String(i).padStart(3, '0')}` }));
// A canary: the card number whose guesses are throttled must never show up in a log line.
const TARGET = CARDS[0] ?? { record: { barcode: '' }, pin: '' };

let upstream: RecordingUpstream;
let direct: Harness;
let behindProxy: Harness;

async function start(settings: HarnessOptions['settings'] = {}): Promise<Harness> {
  return startGateway({ patrons: CARDS, contracts: { books: testContract('books', upstream.url, 'identity: { delivery: none }') }, loginAttemptsPerMinute: LIMIT, settings });
}

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  direct = await start();
  // The test client connects from 127.0.0.1: here that address is the load balancer.
  behindProxy = await start({ trustProxy: ['127.0.0.1', '10.255.0.0/16'] });
});
afterAll(async () => {
  await direct.close();
  await behindProxy.close();
  await upstream.close();
});

async function form(gateway: Harness): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${gateway.url}/login?cleared=1`);
  return {
    cookie: (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '',
    token: /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '',
  };
}

async function attempt(gateway: Harness, barcode: string, pin: string, forwardedFor?: string): Promise<number> {
  const { cookie, token } = await form(gateway);
  const response = await fetch(`${gateway.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...(forwardedFor !== undefined ? { 'x-forwarded-for': forwardedFor } : {}) },
    body: new URLSearchParams({ barcode, pin, csrf: token }).toString(),
  });
  return response.status;
}

/** Moves both gateways' clocks on (the windows are fixed per client and per card). */
function later(ms: number): void {
  for (const gateway of [direct, behindProxy]) gateway.clock.now = new Date(gateway.clock.now.getTime() + ms);
}
const NEW_WINDOWS = 16 * 60_000;

describe('sign-in throttling', () => {
  it('one card\'s wrong PINs from many addresses meet the card\'s limit: the next guess, from yet another address, waits (even with the right PIN)', async () => {
    later(NEW_WINDOWS);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++) statuses.push(await attempt(behindProxy, TARGET.record.barcode, '0000', `198.51.100.${i + 1}`));
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429, 429, 429]);
    expect(await attempt(behindProxy, TARGET.record.barcode, TARGET.pin, '198.51.100.200')).toBe(429);
    // Another card from those same addresses is not affected (the limit is the card's).
    const other = CARDS[1] ?? TARGET;
    expect(await attempt(behindProxy, other.record.barcode, other.pin, '198.51.100.1')).toBe(303);
  });

  it('the card is the card however it is typed: spaces, dashes and case make no fresh bucket', async () => {
    later(NEW_WINDOWS);
    const card = CARDS[2] ?? TARGET;
    const spellings = [card.record.barcode, ` ${card.record.barcode} `, card.record.barcode.replace(/(\d{4})/g, '$1 ').trim(), card.record.barcode.replace(/(\d{4})/g, '$1-').replace(/-$/, ''), `\t${card.record.barcode}`];
    const statuses: number[] = [];
    for (const [i, spelling] of spellings.entries()) statuses.push(await attempt(behindProxy, spelling, '0000', `203.0.113.${i + 1}`));
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(await attempt(behindProxy, card.record.barcode, '0000', '203.0.113.99')).toBe(429);
  });

  it('successes are never counted: ten sign-ins from one branch\'s address do not lock out the next patron there', async () => {
    later(NEW_WINDOWS);
    for (let i = 0; i < 2 * LIMIT; i++) {
      const card = CARDS[3 + (i % 8)] ?? TARGET;
      expect(await attempt(direct, card.record.barcode, card.pin)).toBe(303);
    }
    const next = CARDS[11] ?? TARGET;
    expect(await attempt(direct, next.record.barcode, next.pin)).toBe(303);
  });

  it('one address guessing many cards meets the client\'s limit; another address is not affected', async () => {
    later(NEW_WINDOWS);
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push(await attempt(behindProxy, (CARDS[3 + i] ?? TARGET).record.barcode, '0000', '192.0.2.50'));
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    const card = CARDS[10] ?? TARGET;
    expect(await attempt(behindProxy, card.record.barcode, card.pin, '192.0.2.51')).toBe(303);
  });

  it.each([
    ['a direct client\'s own X-Forwarded-For is ignored (the gateway trusts no proxy by default)', 'direct', (i: number) => `192.0.2.${i + 1}`],
    ['a forwarded list is read from the right: what the client wrote to the left of the trusted proxy\'s entry is never believed', 'behindProxy', (i: number) => `192.0.2.${i + 1}, 192.0.2.77`],
    ['trusted proxies in the chain are skipped: the client is the first untrusted address from the right', 'behindProxy', (i: number) => `192.0.2.${i + 1}, 192.0.2.78, 10.255.3.4`],
    ['an IPv6 client counts per /64: new addresses in the same /64 are the same client', 'behindProxy', (i: number) => `2001:db8:aa:bb::${(i + 1).toString(16)}`],
    ['an IPv4-mapped IPv6 address is its IPv4 address', 'behindProxy', (i: number) => (i % 2 === 0 ? '192.0.2.79' : '::ffff:192.0.2.79')],
  ] as const)('%s', async (_name, which, forwardedFor) => {
    later(NEW_WINDOWS);
    const gateway = which === 'direct' ? direct : behindProxy;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 1; i++) statuses.push(await attempt(gateway, (CARDS[3 + i] ?? TARGET).record.barcode, '0000', forwardedFor(i)));
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
  });

  it('guesses sent all at once cannot pass before the first one fails: at most the limit reach the PIN check', async () => {
    later(NEW_WINDOWS);
    const card = CARDS[4] ?? TARGET;
    const statuses = await Promise.all(Array.from({ length: 4 * LIMIT }, (_, i) => attempt(behindProxy, card.record.barcode, '0000', `198.18.0.${i + 1}`)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3 * LIMIT);
  });

  it('a refusal says how long to wait and names no card, and no log line holds the card number or an address', async () => {
    later(NEW_WINDOWS);
    const card = CARDS[5] ?? TARGET;
    for (let i = 0; i < LIMIT; i++) await attempt(behindProxy, card.record.barcode, '0000', '198.51.100.7');
    const { cookie, token } = await form(behindProxy);
    const refused = await fetch(`${behindProxy.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': '198.51.100.7', accept: 'application/json' },
      body: new URLSearchParams({ barcode: card.record.barcode, pin: '0000', csrf: token }).toString(),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await refused.text();
    expect(body).not.toContain(card.record.barcode);
    for (const logs of [behindProxy.logs, direct.logs]) {
      const all = logs.join('\n');
      for (const card of CARDS) expect(all).not.toContain(card.record.barcode);
      expect(all).not.toContain('198.51.100.7');
    }
  });
});
