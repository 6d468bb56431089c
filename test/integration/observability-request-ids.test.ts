import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

// Every request gets an id: the load balancer's X-Request-Id when the connection comes from a
// trustProxy address and the id looks like one, otherwise a fresh UUID. It is echoed in the
// response and written in every log line of that request, and it never carries a patron value.
const CANARY = { patronId: 'CANrid5521', barcode: '29990000005521', firstName: 'Ottoline', lastName: 'Reqidwater', email: 'ottoline.canary@canary-mail.example', birthDate: '1981-07-21' };
const PIN = '5521';
// Not the four-digit PIN: four digits turn up by chance in a duration, a timestamp or a random id.
const VALUES = [CANARY.patronId, CANARY.barcode, CANARY.firstName, CANARY.lastName, CANARY.email, CANARY.birthDate];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// Envoy-style UUID and nginx-style $request_id (32 hex digits).
const LB_ID = '0f8fad5b-d9cb-469f-a165-7a867b28c50e';
const NGINX_ID = '3b1f0c9e7a5d4e2f8a6b0c1d2e3f4a5b';

let vendor: RecordingUpstream;
let trusting: Harness;
let untrusting: Harness;

beforeAll(async () => {
  vendor = await startRecordingUpstream();
  vendor.respond((req, res) => {
    // The vendor's own request id never replaces the gateway's.
    res.setHeader('x-request-id', 'ffffffffffffffffffffffffffffffff');
    res.statusCode = req.url?.includes('broken') ? 503 : 200;
    res.end('{}');
  });
  const contracts = { books: testContract('books', vendor.url, 'identity: { delivery: none }') };
  const patrons = [{ record: CANARY, pin: PIN }];
  // The test's connections come from 127.0.0.1: trusted by one gateway, not by the other.
  trusting = await startGateway({ patrons, contracts, settings: { trustProxy: ['127.0.0.1'] } });
  untrusting = await startGateway({ patrons, contracts, settings: { trustProxy: ['10.9.9.9'] } });
});
afterAll(async () => {
  await trusting.close();
  await untrusting.close();
  await vendor.close();
});

/** A raw GET (fetch would not let the test send some of these header values). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId: res.headers['x-request-id'] as string | undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

function linesWith(gateway: Harness, id: string): Array<Record<string, unknown>> {
  return gateway.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['requestId'] === id);
}

describe('request ids', () => {
  it.each([
    ["a trusted proxy's UUID is kept", () => trusting, LB_ID, LB_ID],
    ["a trusted proxy's 32 hex digits (nginx $request_id) are kept", () => trusting, NGINX_ID, NGINX_ID],
    ["a trusted proxy's id that is a card number is replaced", () => trusting, CANARY.barcode, UUID],
    ["a trusted proxy's hex id hiding a card number (ten or more digits in a row) is replaced", () => trusting, `${CANARY.barcode}abcdefabcdef`, UUID],
    ["a trusted proxy's id made of words (a name could be one) is replaced", () => trusting, `${CANARY.lastName}-0001-request`, UUID],
    ["a trusted proxy's id with characters outside the pattern is replaced", () => trusting, 'abc def/ghi<script>0123', UUID],
    ["a trusted proxy's over-long id is replaced", () => trusting, 'a'.repeat(65), UUID],
    ["a trusted proxy's too-short id is replaced", () => trusting, 'abc1', UUID],
    ['an id from a client that is not a trusted proxy is replaced, however safe it looks', () => untrusting, LB_ID, UUID],
  ])('%s', async (_name, gateway, sent, expected) => {
    const cookie = await gateway().login(CANARY.barcode, PIN);
    const answer = await get(`${gateway().url}/v/books/broken`, { cookie, 'x-request-id': sent, accept: 'application/json' });
    expect(answer.status).toBe(503);
    const id = answer.requestId ?? '';
    if (typeof expected === 'string') expect(id).toBe(expected);
    else expect(id).toMatch(expected);
    // The request's own log line carries its id.
    expect(linesWith(gateway(), id)).toEqual([expect.objectContaining({ msg: 'vendor request', vendor: 'books', status: 503, requestId: id })]);
  });

  it('two requests get two different generated ids, and the sign-in\'s log line carries the id of the sign-in request', async () => {
    const first = await get(`${untrusting.url}/healthz`, {});
    const second = await get(`${untrusting.url}/healthz`, {});
    expect(first.requestId).toMatch(UUID);
    expect(second.requestId).toMatch(UUID);
    expect(first.requestId).not.toBe(second.requestId);
    const before = untrusting.logs.length;
    await untrusting.login(CANARY.barcode, PIN, { acceptNotices: false });
    const loginLines = untrusting.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['msg'] === 'login');
    expect(loginLines).toHaveLength(1);
    expect(loginLines[0]?.['requestId']).toMatch(UUID);
  });

  it('no log line of either gateway holds a canary patron value, a URL, a path or a host, whatever was sent as X-Request-Id', async () => {
    for (const gateway of [trusting, untrusting]) {
      const cookie = await gateway.login(CANARY.barcode, PIN);
      for (const sent of [CANARY.barcode, CANARY.email, `${CANARY.lastName}-${CANARY.barcode}`, `${CANARY.barcode}abcdefabcdef`, `http://evil.example/${CANARY.barcode}`]) {
        await get(`${gateway.url}/v/books/broken/${CANARY.email}`, { cookie, 'x-request-id': sent });
      }
      const text = gateway.logs.join('');
      expect(text.length).toBeGreaterThan(0);
      for (const value of VALUES) expect(text).not.toContain(value);
      expect(text).not.toMatch(/127\.0\.0\.1|localhost|https?:|\/v\/|broken|evil/);
    }
  });
});
