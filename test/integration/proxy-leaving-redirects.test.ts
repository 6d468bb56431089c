import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOneVendor, type OneVendor } from '../helpers/one-vendor.ts';

/**
 * A vendor's Location never sends the patron's browser away raw: one inside the vendor's space is
 * rewritten into the gateway, any other goes to the leaving page, which is itself no open
 * redirect (text, a plain link for http/https only, no script, no automatic redirect).
 */
const PATRON = { patronId: 'p-l1', barcode: '27300000000001', birthDate: '1980-01-01' };
let one: OneVendor;
let vendorPort = 0;

beforeAll(async () => {
  one = await startOneVendor({ patron: PATRON, vendor: 'lv', contract: 'identity: { delivery: none }' });
  vendorPort = one.upstream.port;
  one.upstream.respond((req, res) => {
    const to = new URL(req.url ?? '/', 'http://vendor').searchParams.get('to') ?? '/';
    res.writeHead(302, { Location: to, 'Content-Length': '0' });
    res.end();
  });
});
afterAll(async () => {
  await one?.close();
});

async function locationFor(to: string, path = '/go'): Promise<string | null> {
  const response = await fetch(`${one.gateway.url}/v/lv${path}?to=${encodeURIComponent(to)}`, { headers: { cookie: one.cookie }, redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location');
}

describe('a vendor Location inside its own space comes back into /v/<vendor>/', () => {
  it.each([
    ['an absolute URL on the vendor', () => `http://127.0.0.1:${vendorPort}/shelf?page=2`, '/v/lv/shelf?page=2'],
    ['an absolute path', () => '/shelf', '/v/lv/shelf'],
    ['a relative path, resolved against the path asked for', () => 'next', '/v/lv/next'],
  ])('%s', async (_name, to, expected) => {
    expect(await locationFor(to())).toBe(expected);
  });
});

describe('a vendor Location outside its space goes to the leaving page, never raw', () => {
  it.each([
    ['another host', () => 'https://tracker.example/p?id=1', 'https://tracker.example/p?id=1'],
    ['//host', () => '//tracker.example/p', 'http://tracker.example/p'],
    ['/\\host', () => '/\\tracker.example/p', 'http://tracker.example/p'],
    ['javascript:', () => 'javascript:fetch("/me/sharing")', 'javascript:fetch("/me/sharing")'],
    ['another port on the vendor\'s host', () => `http://127.0.0.1:${vendorPort + 1}/x`, 'same'],
    ['another scheme on the vendor\'s host', () => `https://127.0.0.1:${vendorPort}/x`, 'same'],
    ['a host not in the contract', () => 'http://localhost/x', 'http://localhost/x'],
  ])('%s', async (_name, to, shown) => {
    // 'same': the destination is shown exactly as the vendor gave it (it depends on the vendor's port).
    expect(await locationFor(to())).toBe(`/leaving?to=${encodeURIComponent(shown === 'same' ? to() : shown)}`);
  });
});

describe('the leaving page', () => {
  async function page(query: string, headers: Record<string, string> = {}): Promise<{ response: Response; text: string }> {
    const response = await fetch(`${one.gateway.url}/leaving${query}`, { redirect: 'manual', headers });
    return { response, text: await response.text() };
  }

  it('shows an http(s) destination as text with a plain link, and never redirects by itself', async () => {
    const { response, text } = await page(`?to=${encodeURIComponent('https://tracker.example/p?id=1&x=<b>')}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('refresh')).toBeNull();
    expect(text).toContain('You are leaving the library&#39;s protection');
    expect(text).toContain('<code data-destination>https://tracker.example/p?id=1&#38;x=%3Cb%3E</code>');
    expect(text).toContain('<a href="https://tracker.example/p?id=1&#38;x=%3Cb%3E" rel="noreferrer noopener">');
    expect(text).not.toMatch(/<script|http-equiv/i);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("default-src 'none'");
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['not a URL at all', 'http://[bad'],
  ])('shows %s as text only, with no link to it', async (_name, to) => {
    const { text } = await page(`?to=${encodeURIComponent(to)}`);
    expect(text).toContain('This is not a web address the gateway will link to.');
    expect(text).not.toMatch(/href="(javascript|data|vbscript|http:\/\/\[)/i);
    expect(text).not.toContain('<script>');
  });

  it.each([
    ['no destination', ''],
    ['an empty destination', '?to='],
    ['a destination given twice', '?to=https://a.example/&to=https://b.example/'],
  ])('with %s it says there is nothing to show', async (_name, query) => {
    const { response, text } = await page(query);
    expect(response.status).toBe(200);
    expect(text).toContain('The service did not give an address the gateway can show.');
    expect(text).not.toContain('a.example');
  });

  it('speaks Spanish to a Spanish browser', async () => {
    const { text } = await page(`?to=${encodeURIComponent('https://a.example/')}`, { 'accept-language': 'es' });
    expect(text).toContain('Está saliendo de la protección de la biblioteca');
  });
});
