import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOneVendor, type OneVendor } from '../helpers/one-vendor.ts';

/**
 * A contract's `response.headers` widens the response allowlist for that vendor only: the headers
 * it names reach the browser; a vendor header it does not name is still dropped; and another
 * vendor's answer never gains them.
 */
const PATRON = { patronId: 'p-rh', barcode: '27100000000077', birthDate: '1980-01-01' };
const VENDOR_HEADERS = { 'X-Total-Count': '42', 'X-RateLimit-Remaining': '7', 'X-Not-Listed': 'dropped' };

let listed: OneVendor;
let unlisted: OneVendor;

beforeAll(async () => {
  listed = await startOneVendor({ patron: PATRON, vendor: 'api', contract: 'identity: { delivery: none }\nresponse: { headers: [X-Total-Count, x-ratelimit-remaining] }' });
  unlisted = await startOneVendor({ patron: PATRON, vendor: 'plain', contract: 'identity: { delivery: none }' });
  for (const one of [listed, unlisted]) {
    one.upstream.respond((_req, res) => {
      res.writeHead(200, { ...VENDOR_HEADERS, 'Content-Type': 'application/json' });
      res.end('[]');
    });
  }
});
afterAll(async () => {
  await listed?.close();
  await unlisted?.close();
});

describe('response headers a contract lists', () => {
  it('pass for the vendor whose contract names them, in any letter case', async () => {
    const response = await fetch(`${listed.gateway.url}/v/api/items`, { headers: { cookie: listed.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-total-count')).toBe('42');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('7');
  });

  it('do not open the allowlist to anything else: an unnamed vendor header is still dropped', async () => {
    const response = await fetch(`${listed.gateway.url}/v/api/items`, { headers: { cookie: listed.cookie } });
    expect(response.headers.get('x-not-listed')).toBeNull();
  });

  it('are dropped for a vendor whose contract does not name them', async () => {
    const response = await fetch(`${unlisted.gateway.url}/v/plain/items`, { headers: { cookie: unlisted.cookie } });
    expect(response.status).toBe(200);
    for (const name of Object.keys(VENDOR_HEADERS)) expect(response.headers.get(name)).toBeNull();
  });
});
