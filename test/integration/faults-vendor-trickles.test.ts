import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { healthStatuses, startBadVendor, trickle, type BadVendor } from '../helpers/slow-peers.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// Vendors that trickle: one byte every 40 ms, well inside an idle timeout of 400 ms, so a timer
// that only watched for silence would never fire.
const PATRON = { patronId: 'p-drip', barcode: '22000000000066', birthDate: '1980-01-01' };
const GAP_MS = 40;
let headers: BadVendor;
let body: BadVendor;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  // Its headers would take 2000 bytes x 40 ms = 80 s: they never all arrive within timeoutMs.
  headers = await startBadVendor((socket) => socket.once('data', () => trickle(socket, `HTTP/1.1 200 OK\r\nX-Slow: ${'a'.repeat(2000)}\r\nContent-Length: 2\r\n\r\nok`, GAP_MS)));
  // Headers at once, then a short body at the same pace: 20 bytes, under a second in all.
  body = await startBadVendor((socket) =>
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\n');
      trickle(socket, 'abcdefghijklmnopqrst', GAP_MS);
    }),
  );
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '6666' }],
    contracts: {
      'slow-headers': testContract('slow-headers', headers.url, 'identity: { delivery: none }').replace('timeoutMs: 2000', 'timeoutMs: 400'),
      'slow-body': testContract('slow-body', body.url, 'identity: { delivery: none }').replace('timeoutMs: 2000', 'timeoutMs: 400'),
    },
  });
  cookie = await gateway.login(PATRON.barcode, '6666');
});
afterAll(async () => {
  await gateway.close();
  await headers.close();
  await body.close();
});

describe('a vendor that trickles', () => {
  it("trickled headers: the patron gets upstream_timeout (504) once timeoutMs has passed without the whole header, and the gateway hangs up on the vendor while it is still sending", async () => {
    const answer = fetch(`${gateway.url}/v/slow-headers/x`, { headers: { cookie, accept: 'application/json' } }).then(async (r) => ({ status: r.status, body: await r.text() }));
    await waitUntil(() => headers.open() === 1, 'the vendor is trickling');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
    const result = await answer;
    expect(result.status).toBe(504);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'upstream_timeout' });
    expect(result.body).not.toMatch(/127\.0\.0\.1|aaaa/);
    await waitUntil(() => headers.open() === 0, 'the gateway closed the trickling connection');
    expect(headers.accepted()).toBe(1);
  });

  it('a trickled body that keeps moving is streamed to the patron whole (timeoutMs bounds silence in a body, not its length)', async () => {
    const response = await fetch(`${gateway.url}/v/slow-body/x`, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('abcdefghijklmnopqrst');
    expect(await healthStatuses(gateway.url)).toEqual({ healthz: 200, readyz: 200 });
  });
});
