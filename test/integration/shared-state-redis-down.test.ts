import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { createPatronForms, type PatronForms } from '../helpers/patron-forms.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { readinessOf, waitUntil } from '../helpers/wait-until.ts';

/**
 * README "Shared state", Redis down: sign-in and sign-out fail closed with the state_unavailable
 * page (503); patrons already signed in go on using their vendors; /readyz says degraded and
 * gateway_shared_state_up 0; when Redis is back (killed with SIGKILL, restarted empty on the same
 * port) the gateway reconnects by itself and the sign-out it could not share is written then.
 */
const PATRON_A = { patronId: 'p-down-a', barcode: '27400000000001', birthDate: '1980-05-05' };
const PATRON_B = { patronId: 'p-down-b', barcode: '27400000000002', birthDate: '1981-06-06' };

let redis: TestRedis;
let upstream: RecordingUpstream;
let gateway: Harness;
let forms: PatronForms;
beforeAll(async () => {
  redis = await startRedis();
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [
      { record: PATRON_A, pin: '7001' },
      { record: PATRON_B, pin: '7002' },
    ],
    contracts: { books: testContract('books', upstream.url, 'identity: { delivery: none }') },
    state: { redis: { url: redis.url } },
  });
  forms = createPatronForms(gateway.url);
  await waitUntil(async () => (await readinessOf(gateway.url)) === 'ready', 'the gateway reaches Redis');
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await redis.close();
});

async function proxied(cookie: string): Promise<number> {
  return (await fetch(`${gateway.url}/v/books/shelf`, { headers: { cookie, accept: 'application/json' } })).status;
}

async function stateUp(): Promise<string | undefined> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return /^gateway_shared_state_up\{store="redis"\} (\d)$/m.exec(text)?.[1];
}

describe('Redis down, then back', () => {
  it('fails sign-in and sign-out closed, keeps signed-in patrons going, reports degraded, and recovers by itself', async () => {
    const a = await gateway.acceptNotice(forms.sessionOf(await forms.signIn(PATRON_A.barcode, '7001')), 'books', []);
    const b = await gateway.acceptNotice(forms.sessionOf(await forms.signIn(PATRON_B.barcode, '7002')), 'books', []);
    expect(await proxied(a)).toBe(200);
    expect(await stateUp()).toBe('1');

    await redis.kill();
    await waitUntil(async () => (await readinessOf(gateway.url)) === 'degraded', '/readyz says degraded');
    const readiness = await (await fetch(`${gateway.url}/readyz`)).json();
    // Degraded, not "not ready": the load balancer keeps sending signed-in patrons.
    expect(readiness).toEqual({ status: 'degraded', vendors: 1, state: { store: 'redis', up: false } });
    expect(await stateUp()).toBe('0');

    // Signed-in patrons go on.
    const before = upstream.requests.length;
    expect(await proxied(a)).toBe(200);
    expect(await proxied(b)).toBe(200);
    expect(upstream.requests.length - before).toBe(2);

    // Sign-in fails closed: the state_unavailable page, no session, not "wrong PIN".
    const refused = await forms.signIn(PATRON_A.barcode, '7001');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(forms.sessionOf(refused)).toBe('');
    const page = await refused.text();
    expect(page).toContain('Signing in and out is paused');
    expect(page).not.toContain(PATRON_A.barcode);
    // A JSON client gets the code.
    const api = await forms.signIn(PATRON_A.barcode, '7001', { accept: 'application/json' });
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: string }).error).toBe('state_unavailable');

    // Sign-out fails closed: the page says it could not be shared; this browser is signed out
    // anyway, and this node refuses a copy of the cookie at once.
    const out = await forms.signOut(b);
    expect(out.status).toBe(503);
    expect(await out.text()).toContain('you are signed out on this computer');
    expect(out.headers.getSetCookie().some((c) => /^gw_session=;.*Max-Age=0/i.test(c))).toBe(true);
    expect(out.headers.get('clear-site-data')).toContain('"cookies"');
    expect(await proxied(b)).toBe(401);
    expect(await proxied(a)).toBe(200);
    expect(gateway.logs.join('\n')).toContain('shared state down');

    // Back (empty, on the same port): the gateway reconnects with backoff, with no restart.
    await redis.restart();
    await waitUntil(async () => (await readinessOf(gateway.url)) === 'ready', 'the gateway reconnects to Redis');
    expect(await stateUp()).toBe('1');
    const again = await forms.signIn(PATRON_A.barcode, '7001');
    expect(again.status).toBe(303);
    // The sign-out it could not share was written once Redis was back, for every other node.
    const client = redis.client();
    const revoked = await client.keys('ppg:revoked:*');
    expect(revoked).toHaveLength(1);
    expect(await client.pttl(revoked[0] ?? '')).toBeGreaterThan(0);
    expect(await proxied(b)).toBe(401);
    expect(await proxied(a)).toBe(200);
  });
});
