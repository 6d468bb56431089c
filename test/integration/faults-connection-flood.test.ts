import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { healthStatuses } from '../helpers/slow-peers.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// A flood of connections that open and send nothing. limits.maxConnections caps how many the
// gateway holds; limits.headersTimeoutMs (small here) reclaims the idle ones.
const MAX_CONNECTIONS = 30;
let vendor: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  vendor = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [],
    contracts: { healthy: testContract('healthy', vendor.url, 'identity: { delivery: none }') },
    settings: { limits: { maxConnections: MAX_CONNECTIONS, headersTimeoutMs: 600, requestTimeoutMs: 1200, keepAliveTimeoutMs: 300 } },
  });
});
afterAll(async () => {
  await gateway.close();
  await vendor.close();
});

interface Idle {
  readonly socket: Socket;
  answer: string;
  /** The order in which the gateway closed it (0 first), or undefined while open. */
  closedAt?: number;
}

let closings = 0;
function openIdle(count: number): Promise<Idle[]> {
  const { port } = new URL(gateway.url);
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Idle>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1', () => resolve(idle));
          const idle: Idle = { socket, answer: '' };
          socket.on('data', (chunk: Buffer) => (idle.answer += chunk.toString('latin1')));
          socket.on('error', () => undefined);
          socket.on('close', () => (idle.closedAt = closings++));
        }),
    ),
  );
}

function openConnections(): Promise<number> {
  return new Promise((resolve, reject) => gateway.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

describe('a flood of idle connections', () => {
  it('below maxConnections: health checks answer during the flood, and every idle connection is answered 408 and closed by the gateway', async () => {
    const flood = await openIdle(20);
    await waitUntil(async () => (await openConnections()) >= 20, 'the flood is connected');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
    await waitUntil(() => flood.every((idle) => idle.closedAt !== undefined), 'the gateway closed every idle connection');
    for (const idle of flood) expect(idle.answer).toMatch(/^HTTP\/1\.1 408 /);
    await waitUntil(async () => (await openConnections()) === 0, 'no connection is left');
  });

  it('beyond maxConnections: the gateway never holds more than maxConnections, closes the extra ones at once (before any idle one times out), reclaims the rest, and then serves health checks again', async () => {
    let peak = 0;
    const sampler = setInterval(() => void openConnections().then((count) => (peak = Math.max(peak, count))), 5);
    const flood = await openIdle(3 * MAX_CONNECTIONS);
    await waitUntil(() => flood.every((idle) => idle.closedAt !== undefined), 'the gateway closed every connection of the flood');
    clearInterval(sampler);
    expect(peak).toBeLessThanOrEqual(MAX_CONNECTIONS);
    const refused = flood.filter((idle) => idle.answer === '');
    const timedOut = flood.filter((idle) => /^HTTP\/1\.1 408 /.test(idle.answer));
    expect(refused.length).toBeGreaterThanOrEqual(2 * MAX_CONNECTIONS);
    expect(timedOut.length).toBeLessThanOrEqual(MAX_CONNECTIONS);
    expect(refused.length + timedOut.length).toBe(flood.length);
    // Ordering, not time: every refused connection closed before the first idle one timed out.
    const firstTimeout = Math.min(...timedOut.map((idle) => idle.closedAt ?? Infinity));
    for (const idle of refused) expect(idle.closedAt ?? Infinity).toBeLessThan(firstTimeout);
    await waitUntil(async () => (await openConnections()) === 0, 'no connection is left');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
    expect(vendor.requests).toHaveLength(0);
  });
});
