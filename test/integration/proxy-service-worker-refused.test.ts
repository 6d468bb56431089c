import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOneVendor, type OneVendor } from '../helpers/one-vendor.ts';

/**
 * A vendor's script fetched to become a service worker (scope /v/<vendor>/ or wider) is refused
 * before anything is sent: a worker would sit between the patron and the vendor, outside the
 * pipeline, for as long as the browser keeps it.
 */
const PATRON = { patronId: 'p-sw1', barcode: '27400000000001', birthDate: '1980-01-01' };
let one: OneVendor;

beforeAll(async () => {
  one = await startOneVendor({ patron: PATRON, vendor: 'swv', contract: 'identity: { delivery: none }' });
  one.upstream.respond((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    res.end('self.addEventListener("fetch", () => {});');
  });
});
afterAll(async () => {
  await one?.close();
});

describe('service worker scripts are refused', () => {
  it.each([
    ['Service-Worker: script', { 'service-worker': 'script' }],
    ['Sec-Fetch-Dest: serviceworker', { 'sec-fetch-dest': 'serviceworker' }],
  ])('a request marked %s gets 403 and the vendor receives nothing', async (_name, headers) => {
    const before = one.upstream.requests.length;
    const response = await fetch(`${one.gateway.url}/v/swv/sw.js`, { headers: { cookie: one.cookie, ...headers } });
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).not.toContain('sw.js');
    expect(body).not.toContain('127.0.0.1');
    expect(one.upstream.requests.length).toBe(before);
  });

  it('the same script loaded by a page (not as a worker) passes', async () => {
    const response = await fetch(`${one.gateway.url}/v/swv/sw.js`, { headers: { cookie: one.cookie, 'sec-fetch-dest': 'script' } });
    expect(response.status).toBe(200);
  });
});
