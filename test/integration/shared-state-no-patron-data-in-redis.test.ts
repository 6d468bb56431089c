import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { createPatronForms } from '../helpers/patron-forms.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { readinessOf, waitUntil } from '../helpers/wait-until.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';

/**
 * README "Shared state": nothing about a patron goes into Redis beyond opaque ids and counters
 * with expiries. A canary patron signs in from a canary address (behind a trusted proxy), fails
 * PINs, uses a vendor and signs out; then every key and every value in the real Redis is read.
 */
const CANARY = { patronId: 'CANpid8823', barcode: '29990000008823', firstName: 'Quillonna', lastName: 'Vantablackwood', email: 'q.canary@canary-mail.example', birthDate: '1979-03-14' };
const PIN = '9823';
const WRONG_PIN = '1188';
const CANARY_ADDRESS = '203.0.113.88';
const VALUES = [CANARY.patronId, CANARY.barcode, CANARY.barcode.slice(-6), CANARY.firstName, CANARY.lastName, CANARY.email, CANARY.birthDate, PIN, WRONG_PIN, CANARY_ADDRESS];

let redis: TestRedis;
let upstream: RecordingUpstream;
let gateway: Harness;
beforeAll(async () => {
  redis = await startRedis();
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: CANARY, pin: PIN }],
    contracts: { books: testContract('books', upstream.url, 'identity: { delivery: none }') },
    settings: { trustProxy: ['127.0.0.1'] },
    state: { redis: { url: redis.url } },
  });
  await waitUntil(async () => (await readinessOf(gateway.url)) === 'ready', 'the gateway reaches Redis');
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await redis.close();
});

describe('Redis holds nothing about a patron', () => {
  it('after wrong PINs, a sign-in, a proxied request and a sign-out: only HMAC-named counters and session ids, each expiring', async () => {
    const forms = createPatronForms(gateway.url);
    const from = { 'x-forwarded-for': CANARY_ADDRESS };
    for (let i = 0; i < 3; i++) expect((await forms.signIn(CANARY.barcode, WRONG_PIN, from)).status).toBe(401);
    // The same card spelled another way still counts as the same card (and is not stored either).
    expect((await forms.signIn(`${CANARY.barcode.slice(0, 4)} ${CANARY.barcode.slice(4)}`, WRONG_PIN, from)).status).toBe(401);
    const signedIn = await forms.signIn(CANARY.barcode, PIN, from);
    expect(signedIn.status).toBe(303);
    const session = forms.sessionOf(signedIn);
    const notices = await gateway.acceptNotice(session, 'books', []);
    expect((await fetch(`${gateway.url}/v/books/shelf`, { headers: { cookie: notices, accept: 'application/json' } })).status).toBe(200);
    expect((await forms.signOut(session)).status).toBe(303);

    const client = redis.client();
    const keys = await client.keys('*');
    const kinds = new Set<string>();
    for (const key of keys) {
      const shape = /^ppg:(throttle:sign-in:(?:card|client):[A-Za-z0-9_-]{43}|revoked:[0-9a-f-]{36})$/.exec(key);
      expect(shape, `unexpected key ${key}`).not.toBeNull();
      kinds.add(key.split(':').slice(0, 4).join(':').replace(/:[A-Za-z0-9_-]{36,}$/, ''));
      expect(await client.type(key)).toBe('string');
      const value = (await client.get(key)) ?? '';
      // A counter, or a revoked session's expiry (seconds since the epoch).
      expect(value).toMatch(/^\d{1,10}$/);
      expect(await client.pttl(key), `${key} has no expiry`).toBeGreaterThan(0);
      for (const canary of VALUES) {
        expect(key).not.toContain(canary);
        expect(value).not.toContain(canary);
      }
    }
    // The canary run did write each kind: the throttle (per card, per client) and the sign-out.
    expect([...kinds].sort()).toEqual(['ppg:revoked', 'ppg:throttle:sign-in:card', 'ppg:throttle:sign-in:client']);
    // The failures were counted: four wrong PINs on the card's counter (the good one taken back).
    const counts = await Promise.all(keys.filter((k) => k.includes(':card:')).map((k) => client.get(k)));
    expect(counts).toEqual(['4']);
    // Nor does any of it reach the logs or /metrics on the way.
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    for (const canary of VALUES) {
      expect(gateway.logs.join('\n')).not.toContain(canary);
      expect(metrics).not.toContain(canary);
    }
  });
});
