import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { healthStatuses, startBadVendor, type BadVendor } from '../helpers/slow-peers.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// A vendor that answers its status line and headers, promises a body of 100000 bytes, sends ten,
// and then falls silent with the connection open. The body may not stall longer than timeoutMs.
const PATRON = { patronId: 'p-half', barcode: '22000000000099', birthDate: '1980-01-01' };
let vendor: BadVendor;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  vendor = await startBadVendor((socket) => {
    socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n0123456789'));
  });
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '9999' }],
    contracts: { halfway: testContract('halfway', vendor.url, 'identity: { delivery: none }').replace('timeoutMs: 2000', 'timeoutMs: 400') },
  });
  cookie = await gateway.login(PATRON.barcode, '9999');
});
afterAll(async () => {
  await gateway.close();
  await vendor.close();
});

describe('a vendor that sends headers and never finishes the body', () => {
  it("cuts the patron's response (never passed off as complete), counts an upstream timeout, closes the vendor's socket, and keeps answering health checks", async () => {
    const responses = await Promise.all(Array.from({ length: 3 }, () => fetch(`${gateway.url}/v/halfway/file`, { headers: { cookie } })));
    for (const response of responses) expect(response.status).toBe(200);
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
    // The body stalls, the gateway gives up on it and cuts the patron's connection: reading it fails.
    const bodies = await Promise.allSettled(responses.map((response) => response.arrayBuffer()));
    expect(bodies.map((body) => body.status)).toEqual(['rejected', 'rejected', 'rejected']);
    await waitUntil(() => vendor.open() === 0, "the gateway closed its sockets to the vendor");
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_errors_total\{vendor="halfway",kind="timeout",channel="http"\} 3\b/);
    expect(metrics).toMatch(/gateway_requests_total\{vendor="halfway",outcome="upstream_error",channel="http"\} 3\b/);
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
  });
});
