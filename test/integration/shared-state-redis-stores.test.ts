import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/create-logger.ts';
import { createThrottleIds } from '../../src/sessions/throttle-ids.ts';
import { openRedisState, type RedisSharedState } from '../../src/state/open-redis-state.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';

/**
 * The Redis stores against a real redis-server, as two gateway nodes use them: two independent
 * connections (node A, node B) with the same key prefix and session key. What one node counts,
 * revokes or issues, the other sees.
 */
let redis: TestRedis;
const nodes: RedisSharedState[] = [];
const KEY = randomBytes(32);
const silent = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) as unknown as DestinationStream });

async function openNode(prefix = 'ppg:'): Promise<RedisSharedState> {
  const node = openRedisState({ url: redis.url, keyPrefix: prefix }, { logger: silent, clock: () => new Date() });
  nodes.push(node);
  if (!(await node.waitUntilUp(5_000))) throw new Error('the test Redis did not answer');
  return node;
}

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const node of nodes) await node.close();
  await redis.close();
});

const LIMITS = { key: KEY, clientFailures: 100, clientWindowSeconds: 60, cardFailures: 3, cardWindowSeconds: 900 };

describe('the sign-in throttle in Redis counts every node together', () => {
  it.each([
    ['all on node A', [0, 0, 0, 0, 0]],
    ['alternating A, B', [0, 1, 0, 1, 0]],
    ['all on node B after one on A', [0, 1, 1, 1, 1]],
  ])('wrong PINs for one card, %s: the 4th is refused, as on one node (the limit is 3)', async (_name, order) => {
    const a = await openNode();
    const b = await openNode();
    const limiters = [a.createLimiter('sign-in', LIMITS), b.createLimiter('sign-in', LIMITS)];
    const card = `2123400${randomUUID().slice(0, 7)}`;
    const verdicts: boolean[] = [];
    for (const [index, node] of order.entries()) verdicts.push((await limiters[node]!.begin(`198.51.100.${index}`, card, new Date())).allowed);
    expect(verdicts).toEqual([true, true, true, false, false]);
  });

  it('a refusal says how long to wait: the card window left, in whole seconds', async () => {
    const a = await openNode();
    const limiter = a.createLimiter('sign-in', { ...LIMITS, cardFailures: 1 });
    const card = randomUUID();
    expect((await limiter.begin('192.0.2.1', card, new Date())).allowed).toBe(true);
    const refused = await limiter.begin('192.0.2.2', card, new Date());
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.wait).toBeGreaterThan(890);
    if (!refused.allowed) expect(refused.wait).toBeLessThanOrEqual(900);
  });

  it('a success is taken back on every node: a patron who signs in each time is never throttled', async () => {
    const a = await openNode();
    const b = await openNode();
    const limiters = [a.createLimiter('sign-in', LIMITS), b.createLimiter('sign-in', LIMITS)];
    const card = randomUUID();
    const watcher = redis.client();
    const cardKey = `ppg:throttle:sign-in:card:${createThrottleIds(KEY).card(card)}`;
    for (let i = 0; i < 10; i++) {
      const attempt = await limiters[i % 2]!.begin('192.0.2.10', card, new Date());
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) attempt.succeeded();
      // succeeded() is sent without waiting for the answer: the count goes back to 0 on Redis.
      await expect.poll(() => watcher.get(cardKey), { timeout: 2_000, interval: 5 }).toBe('0');
    }
  });

  it('parallel guesses on two nodes cannot pass the limit together: exactly 3 of 12 are let through', async () => {
    const a = await openNode();
    const b = await openNode();
    const limiters = [a.createLimiter('sign-in', LIMITS), b.createLimiter('sign-in', LIMITS)];
    const card = randomUUID();
    const verdicts = await Promise.all(Array.from({ length: 12 }, (_, i) => limiters[i % 2]!.begin(`203.0.113.${i}`, card, new Date())));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
  });

  it('the throttles count apart by name: sign-in failures do not use up the SIP2 PIN throttle', async () => {
    const a = await openNode();
    const card = randomUUID();
    const signIn = a.createLimiter('sign-in', { ...LIMITS, cardFailures: 1 });
    const pin = a.createLimiter('sip2-pin', { ...LIMITS, cardFailures: 1 });
    expect((await signIn.begin('c', card, new Date())).allowed).toBe(true);
    expect((await signIn.begin('c', card, new Date())).allowed).toBe(false);
    expect((await pin.begin('c', card, new Date())).allowed).toBe(true);
  });

  it('every throttle key is a counter with an expiry, named by HMACs (never the card or the address)', async () => {
    const a = await openNode('ppg-shape:');
    const card = 'CANARY-CARD-55501';
    await a.createLimiter('sign-in', LIMITS).begin('203.0.113.99', card, new Date());
    const client = redis.client();
    const keys = await client.keys('ppg-shape:*');
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(/^ppg-shape:throttle:sign-in:(card|client):[A-Za-z0-9_-]{43}$/);
      expect(await client.get(key)).toBe('1');
      expect(await client.pttl(key)).toBeGreaterThan(0);
    }
    expect(keys.join(' ')).not.toMatch(/CANARY|55501|203\.0\.113/);
  });
});

describe('revoked sessions in Redis reach every node', () => {
  it('a session revoked on node A is refused on node B once A has answered (published, not polled)', async () => {
    const a = await openNode();
    const b = await openNode();
    const sid = randomUUID();
    const now = new Date();
    const exp = Math.floor(now.getTime() / 1000) + 3600;
    expect(b.revocations.isRevoked(sid, now)).toBe(false);
    await a.revocations.revoke(sid, exp, now);
    await expect.poll(() => b.revocations.isRevoked(sid, new Date()), { timeout: 2_000, interval: 5 }).toBe(true);
    expect(a.revocations.isRevoked(randomUUID(), now)).toBe(false);
  });

  it('a node that starts after the sign-out loads it from Redis (no message missed)', async () => {
    const a = await openNode();
    const sid = randomUUID();
    const now = new Date();
    await a.revocations.revoke(sid, Math.floor(now.getTime() / 1000) + 3600, now);
    const late = await openNode();
    expect(late.revocations.isRevoked(sid, new Date())).toBe(true);
  });

  it('the revoked key holds only the expiry and expires with the session', async () => {
    const a = await openNode();
    const sid = randomUUID();
    const now = new Date();
    const exp = Math.floor(now.getTime() / 1000) + 120;
    await a.revocations.revoke(sid, exp, now);
    const client = redis.client();
    expect(await client.get(`ppg:revoked:${sid}`)).toBe(String(exp));
    const ttl = await client.ttl(`ppg:revoked:${sid}`);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);
  });
});

describe('single-use tickets in Redis', () => {
  it.each([
    ['taken on the node that issued it', 0],
    ['taken on the other node', 1],
  ])('a ticket is %s once; the second take on either node finds nothing', async (_name, taker) => {
    const nodesAB = [await openNode(), await openNode()];
    const id = randomUUID();
    expect(await nodesAB[0]!.tickets.put(id, 'sealed-payload', 60)).toBe(true);
    expect(await nodesAB[taker]!.tickets.take(id)).toBe('sealed-payload');
    expect(await nodesAB[0]!.tickets.take(id)).toBeUndefined();
    expect(await nodesAB[1]!.tickets.take(id)).toBeUndefined();
  });

  it('two nodes taking the same ticket at once: exactly one gets it', async () => {
    const a = await openNode();
    const b = await openNode();
    const id = randomUUID();
    await a.tickets.put(id, 'p', 60);
    const taken = await Promise.all([a.tickets.take(id), b.tickets.take(id), a.tickets.take(id), b.tickets.take(id)]);
    expect(taken.filter((t) => t === 'p')).toHaveLength(1);
  });

  it('an id is never issued twice, and every ticket key expires', async () => {
    const a = await openNode();
    const id = randomUUID();
    expect(await a.tickets.put(id, 'first', 30)).toBe(true);
    expect(await a.tickets.put(id, 'second', 30)).toBe(false);
    expect(await a.tickets.take(id)).toBe('first');
    await a.tickets.put(id, 'again', 30);
    const ttl = await redis.client().ttl(`ppg:ticket:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });
});
