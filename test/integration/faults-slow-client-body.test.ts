import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { healthStatuses, runSlowClient } from '../helpers/slow-peers.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// Slow bodies: headers sent at once, then the body a byte at a time. limits.requestTimeoutMs bounds
// the whole request; it is small here, so the drip outlasts it many times over.
const PATRON = { patronId: 'p-slow', barcode: '22000000000077', birthDate: '1980-01-01' };
let vendor: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  vendor = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '7777' }],
    contracts: { healthy: testContract('healthy', vendor.url, 'identity: { delivery: none }\nrequest: { bodyTypes: [application/json, application/octet-stream] }') },
    settings: { limits: { headersTimeoutMs: 500, requestTimeoutMs: 1200, keepAliveTimeoutMs: 500 } },
  });
  cookie = await gateway.login(PATRON.barcode, '7777');
});
afterAll(async () => {
  await gateway.close();
  await vendor.close();
});

function openConnections(): Promise<number> {
  return new Promise((resolve, reject) => gateway.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

const BODY = JSON.stringify({ q: 'x'.repeat(50) });

describe('slow request bodies', () => {
  it.each([
    ['a JSON body to a vendor (read by the gateway before forwarding)', () => `POST /v/healthy/search HTTP/1.1\r\nHost: gw\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${BODY.length}\r\n\r\n`],
    ['a streamed body to a vendor', () => `POST /v/healthy/upload HTTP/1.1\r\nHost: gw\r\nCookie: ${cookie}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${BODY.length}\r\n\r\n`],
    ['the sign-in form', () => `POST /login HTTP/1.1\r\nHost: gw\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${BODY.length}\r\n\r\n`],
  ])('%s, dripped a byte at a time, is cut within limits.requestTimeoutMs and the vendor never gets a whole request; health checks keep answering', async (_name, head) => {
    const before = vendor.requests.length;
    const attack = Promise.all(Array.from({ length: 4 }, () => runSlowClient(gateway.url, head(), BODY, { gapMs: 100 })));
    await waitUntil(async () => (await openConnections()) >= 4, 'the four slow clients are connected');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
    const runs = await attack;
    for (const run of runs) {
      expect(run.closedByGateway).toBe(true);
      expect(run.bytesSent).toBeLessThan(run.bytesPlanned);
      // 408 when nothing had been answered yet; a streamed body may already have been handed on, and
      // is then cut with the connection (never completed at the vendor).
      expect(run.answer === '' || /^HTTP\/1\.1 408 /.test(run.answer)).toBe(true);
    }
    // No request reached the vendor whole (the recording vendor records only complete ones).
    expect(vendor.requests.length).toBe(before);
    await waitUntil(async () => (await openConnections()) === 0, 'every connection is closed');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
  });

  it('the same body sent at an ordinary pace is proxied', async () => {
    const before = vendor.requests.length;
    const response = await fetch(`${gateway.url}/v/healthy/search`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: BODY });
    expect(response.status).toBe(200);
    expect(vendor.requests.length).toBe(before + 1);
  });
});
