import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { hashPin } from '../../src/patrons/pin-hash.ts';
import { TEST_MASTER_SECRET, isoDaysFrom } from '../helpers/contracts.ts';
import { generateAssertionPem, SESSION_KEY } from '../helpers/gateway-harness.ts';
import { startGatewayNode, type GatewayNode } from '../helpers/gateway-node.ts';
import { startHaproxy, type TestHaproxy } from '../helpers/haproxy.ts';
import { createPatronForms, type PatronForms } from '../helpers/patron-forms.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { findFreePort } from '../helpers/free-port.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { runMain } from '../helpers/spawn-main.ts';

/**
 * README "Shared state", the two-node test: two gateway processes (src/main.ts, the same settings
 * and keys) behind a real haproxy (round robin on loopback), sharing a real redis-server. What is
 * made through one node is honoured by the other: the session, the notices, the throttle, the
 * sign-out. Then one node is killed mid-load and the other keeps serving.
 */
const PATRONS = [
  { patronId: 'p-two-a', barcode: '27500000000001', birthDate: '1980-05-05' },
  { patronId: 'p-two-b', barcode: '27500000000002', birthDate: '1981-06-06' },
  { patronId: 'p-two-c', barcode: '27500000000003', birthDate: '1982-07-07' },
  { patronId: 'p-two-d', barcode: '27500000000004', birthDate: '1983-08-08' },
];
const PIN = '8123';
const CARD_LIMIT = 3;

let dir: string;
let redis: TestRedis;
let upstream: RecordingUpstream;
let nodes: GatewayNode[] = [];
let haproxy: TestHaproxy;
let lb: PatronForms;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-two-nodes-'));
  redis = await startRedis();
  upstream = await startRecordingUpstream();
  const ports = [await findFreePort(), await findFreePort()];
  const lbPort = await findFreePort();
  await writeFile(join(dir, 'patrons.yaml'), stringify(await Promise.all(PATRONS.map(async (p) => ({ ...p, pinHash: await hashPin(PIN, { N: 1024, r: 8, p: 1 }) })))));
  const now = new Date();
  await mkdir(join(dir, 'vendors'));
  await writeFile(
    join(dir, 'vendors', 'books.yaml'),
    `id: books\nname: Books\nkind: econtent\npurpose: Testing\ncontract: { reference: T-books, effective: ${isoDaysFrom(now, -30)}, expires: ${isoDaysFrom(now, 365)} }\nupstream: { url: "${upstream.url}", hosts: [127.0.0.1], timeoutMs: 5000 }\nidentity: { delivery: none }\n`,
  );
  const pem = generateAssertionPem('two-nodes-1');
  env = {
    GW_PSEUDONYM_SECRET: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
    GW_SESSION_KEY: `base64:${SESSION_KEY.toString('base64')}`,
    GW_ASSERTION_KEY: pem.pem,
    REDIS_URL: redis.url,
    GATEWAY_CONFIG: join(dir, 'gateway.yaml'),
    LOG_LEVEL: 'warn',
  };
  const settings = (publicPort: number, stateSection: Record<string, unknown>): string =>
    stringify({
      publicUrl: `http://127.0.0.1:${publicPort}`,
      vendorsDir: 'vendors',
      patrons: { file: 'patrons.yaml' },
      secrets: { pseudonymSecret: { env: 'GW_PSEUDONYM_SECRET' }, sessionKey: { env: 'GW_SESSION_KEY' }, assertionKeys: [{ kid: pem.kid, privateKey: { env: 'GW_ASSERTION_KEY' } }] },
      // haproxy on loopback passes the client address in X-Forwarded-For.
      trustProxy: ['127.0.0.1'],
      limits: { loginFailuresPerCard: CARD_LIMIT, loginAttemptsPerMinute: 1000, sessionTtlSeconds: 3600 },
      state: stateSection,
    });
  await writeFile(join(dir, 'gateway.yaml'), settings(lbPort, { required: true, redis: { url: { env: 'REDIS_URL' } } }));
  await writeFile(join(dir, 'gateway-lost.yaml'), settings(lbPort, { required: true, startTimeoutSeconds: 1, redis: { url: `redis://127.0.0.1:${await findFreePort()}` } }));
  await writeFile(join(dir, 'gateway-no-redis.yaml'), settings(lbPort, { required: true }));
  nodes = await Promise.all(ports.map((port) => startGatewayNode(port!, env)));
  haproxy = await startHaproxyOn(lbPort, ports);
  lb = createPatronForms(haproxy.url);
}, 60_000);
afterAll(async () => {
  await haproxy?.close();
  for (const node of nodes) await node.stop();
  await upstream?.close();
  await redis?.close();
  await rm(dir, { recursive: true, force: true });
});

/** haproxy on the port the public URL names (chosen before the settings were written), round robin over the two nodes. */
function startHaproxyOn(port: number, ports: number[]): Promise<TestHaproxy> {
  return startHaproxy(
    dir,
    [
      { name: 'a', port: ports[0]! },
      { name: 'b', port: ports[1]! },
    ],
    port,
  );
}

/** GET through haproxy: the status and the node that served it. */
async function get(path: string, cookie: string): Promise<{ status: number; node: string }> {
  const response = await fetch(`${haproxy.url}${path}`, { headers: { cookie, accept: 'application/json' }, redirect: 'manual' });
  await response.arrayBuffer();
  return { status: response.status, node: response.headers.get('x-served-by') ?? '?' };
}

/** Accepts the books notice through haproxy (GET on one node, POST on the next). */
async function acceptNotice(cookie: string): Promise<string> {
  const page = await fetch(`${haproxy.url}/notices/books`, { headers: { cookie } });
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${haproxy.url}/notices/books`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: token, decision: 'accept', next: '/v/books/' }).toString() });
  const notices = response.headers.getSetCookie().find((c) => c.startsWith('gw_notices='))?.split(';')[0];
  if (response.status !== 303 || notices === undefined) throw new Error(`accepting the notice failed with ${response.status}`);
  return `${cookie}; ${notices}`;
}

describe('two gateway nodes behind haproxy share their state in Redis', () => {
  it('a session and its notice made through one node are honoured by the other: every request succeeds on both', async () => {
    const signIn = await lb.signIn(PATRONS[0]!.barcode, PIN);
    expect(signIn.status).toBe(303);
    const cookie = await acceptNotice(lb.sessionOf(signIn));
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await get(`/v/books/item-${i}`, cookie));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(results.map((r) => r.node))).toEqual(new Set(['a', 'b']));
  });

  it.each([
    ['spread over both nodes (through haproxy)', 'lb', PATRONS[1]!.barcode],
    ['all on one node', 'a', PATRONS[2]!.barcode],
  ])(`wrong PINs %s trip the card limit at the same count: ${CARD_LIMIT} refused as wrong, then 429 (the right PIN too)`, async (_name, where, barcode) => {
    const forms = where === 'lb' ? lb : createPatronForms(nodes[0]!.url);
    const statuses: number[] = [];
    const served = new Set<string>();
    for (let i = 0; i < CARD_LIMIT + 1; i++) {
      // Each sign-in is a GET and a POST: one more request every other time makes the POSTs alternate nodes.
      if (where === 'lb' && i % 2 === 1) await get('/healthz', '');
      const response = await forms.signIn(barcode, '0000');
      statuses.push(response.status);
      served.add(response.headers.get('x-served-by') ?? 'direct');
    }
    expect(statuses).toEqual([...Array(CARD_LIMIT).fill(401), 429]);
    // Even the right PIN waits now, on either node.
    expect((await forms.signIn(barcode, PIN)).status).toBe(429);
    if (where === 'lb') expect(served).toEqual(new Set(['a', 'b']));
  });

  it('sign-out through one node is honoured by the other: a copied cookie is refused on both, at once', async () => {
    const signIn = await lb.signIn(PATRONS[3]!.barcode, PIN);
    const cookie = await acceptNotice(lb.sessionOf(signIn));
    // Used (and so cached) on both nodes before the sign-out.
    for (const node of nodes) expect((await fetch(`${node.url}/v/books/shelf`, { headers: { cookie, accept: 'application/json' } })).status).toBe(200);
    const out = await createPatronForms(nodes[0]!.url).signOut(cookie);
    expect(out.status).toBe(303);
    for (const node of nodes) expect((await fetch(`${node.url}/v/books/shelf`, { headers: { cookie, accept: 'application/json' } })).status).toBe(401);
    const viaLb = [await get('/v/books/shelf', cookie), await get('/v/books/shelf', cookie)];
    expect(viaLb.map((r) => r.status)).toEqual([401, 401]);
    expect(new Set(viaLb.map((r) => r.node))).toEqual(new Set(['a', 'b']));
  });

  it.each([
    ['state.required and Redis not answering', 'gateway-lost.yaml', /did not answer within 1 s, and state.required is true/],
    ['state.required and no state.redis', 'gateway-no-redis.yaml', /state\.required.*state\.redis does not say where Redis is/],
  ])('a node refuses to start with %s', async (_name, file, message) => {
    const run = await runMain({ ...env, GATEWAY_CONFIG: join(dir, file) });
    expect(run.outcome).toBe(1);
    expect(run.stderr).toMatch(message);
  });

  it('one node killed mid-load: the other keeps serving, and no request fails beyond those in flight on the killed node', async () => {
    const signIn = await lb.signIn(PATRONS[0]!.barcode, PIN);
    const cookie = await acceptNotice(lb.sessionOf(signIn));
    const CONCURRENCY = 4;
    const TOTAL = 400;
    let sent = 0;
    let killedAt = -1;
    const failures: number[] = [];
    const servedAfterKill = new Set<string>();
    const worker = async (): Promise<void> => {
      while (sent < TOTAL) {
        const index = sent++;
        if (index === TOTAL / 4 && killedAt < 0) {
          killedAt = index;
          void nodes[1]!.kill();
        }
        const result = await get(`/v/books/load-${index}`, cookie).catch(() => ({ status: 0, node: '?' }));
        if (result.status !== 200) failures.push(result.status);
        else if (killedAt >= 0 && index > killedAt + CONCURRENCY * 4) servedAfterKill.add(result.node);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(killedAt).toBe(TOTAL / 4);
    // At most the requests in flight when it died (one per worker) may fail; haproxy retries the rest on node a.
    expect(failures.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(servedAfterKill).toEqual(new Set(['a']));
  });
});
