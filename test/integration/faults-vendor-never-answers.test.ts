import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { healthStatuses, startBadVendor, type BadVendor } from '../helpers/slow-peers.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// A vendor that accepts connections, reads the request, and never answers. The vendor's
// timeoutMs is small, and limits.upstreamSocketsPerVendor caps how many sockets it can hold.
const PATRON = { patronId: 'p-hang', barcode: '22000000000088', birthDate: '1980-01-01' };
const SOCKETS = 2;
let silent: BadVendor;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  silent = await startBadVendor(() => undefined);
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '8888' }],
    contracts: { silent: testContract('silent', silent.url, 'identity: { delivery: none }').replace('timeoutMs: 2000', 'timeoutMs: 400') },
    settings: { limits: { upstreamSocketsPerVendor: SOCKETS } },
  });
  cookie = await gateway.login(PATRON.barcode, '8888');
});
afterAll(async () => {
  await gateway.close();
  await silent.close();
});

describe('a vendor that never answers', () => {
  it('every patron gets the upstream_timeout error (504, naming no host) within timeoutMs, time queued for a socket included; the vendor never holds more than upstreamSocketsPerVendor sockets; health checks keep answering', async () => {
    const requests = Array.from({ length: 8 }, (_, i) =>
      fetch(`${gateway.url}/v/silent/item/${i}`, { headers: { cookie, accept: 'application/json' } }).then(async (r) => ({ status: r.status, body: await r.text() })),
    );
    await waitUntil(() => silent.open() >= 1, 'the vendor has a connection');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
    const answers = await Promise.all(requests);
    for (const answer of answers) {
      expect(answer.status).toBe(504);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'upstream_timeout' });
      expect(answer.body).not.toMatch(/127\.0\.0\.1|item/);
    }
    expect(silent.peakOpen()).toBeLessThanOrEqual(SOCKETS);
    // The requests that queued for a socket timed out in the queue: the vendor never saw them. Had
    // queueing not counted, each freed socket would have carried a queued request to the vendor, and
    // it would have seen all 8. (How many reached it depends on how the 8 arrivals spread on a busy
    // machine: the two first for certain, a later one only if it arrived after a socket was freed.)
    expect(silent.spokenTo()).toBeGreaterThanOrEqual(SOCKETS);
    expect(silent.spokenTo()).toBeLessThan(answers.length);
    // The gateway let go of every socket it opened to the vendor.
    await waitUntil(() => silent.open() === 0, 'the gateway closed its sockets to the vendor');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_errors_total\{vendor="silent",kind="timeout",channel="http"\} 8\b/);
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
  });
});
