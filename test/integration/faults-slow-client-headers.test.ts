import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { healthStatuses, runSlowClient } from '../helpers/slow-peers.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// Slow-loris: clients that send their request headers a byte at a time to hold connections open.
// limits.headersTimeoutMs is small here, so the attack outlasts it many times over.
const HEADERS_TIMEOUT_MS = 600;
let vendor: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  vendor = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [],
    contracts: { healthy: testContract('healthy', vendor.url, 'identity: { delivery: none }') },
    settings: { limits: { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: 1500, keepAliveTimeoutMs: 500 } },
  });
});
afterAll(async () => {
  await gateway.close();
  await vendor.close();
});

function openConnections(): Promise<number> {
  return new Promise((resolve, reject) => gateway.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

describe('slow-loris headers', () => {
  it.each([
    ['a proxied path', 'GET /v/healthy/x HTTP/1.1\r\nHost: gw\r\nX-Slow: '],
    ['a gateway page', 'GET /login HTTP/1.1\r\nHost: gw\r\nX-Slow: '],
    ['the request line itself', 'GET /'],
  ])('clients dripping %s one byte at a time are answered 408 and closed before they finish, while /healthz and /readyz keep answering', async (_name, head) => {
    // 40 bytes at 100 ms each would take 4 s; the gateway gives them headersTimeoutMs.
    const drip = `${'a'.repeat(40)}\r\n\r\n`;
    const attack = Promise.all(Array.from({ length: 6 }, () => runSlowClient(gateway.url, head, drip, { gapMs: 100 })));
    await waitUntil(async () => (await openConnections()) >= 6, 'the six slow clients are connected');
    // During the attack the health checks answer on connections of their own.
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
    const runs = await attack;
    for (const run of runs) {
      expect(run.closedByGateway).toBe(true);
      expect(run.bytesSent).toBeLessThan(run.bytesPlanned);
      expect(run.answer).toMatch(/^HTTP\/1\.1 408 /);
    }
    // Nothing reached the vendor, and no connection is left behind.
    expect(vendor.requests).toHaveLength(0);
    await waitUntil(async () => (await openConnections()) === 0, 'every connection is closed');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
  });

  it('a client that sends its headers at an ordinary pace is served (the limit is on the whole header time, not on any single gap)', async () => {
    const run = await runSlowClient(gateway.url, 'GET /healthz HTTP/1.1\r\nHost: gw\r\n', 'Connection: close\r\n\r\n', { gapMs: 5, settleMs: 1000 });
    expect(run.answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(run.bytesSent).toBe(run.bytesPlanned);
  });
});
