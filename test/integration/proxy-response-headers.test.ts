import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVendorCsp } from '../../src/channels/proxy/filter-response/vendor-csp.ts';
import { PASSED_RESPONSE_HEADERS } from '../../src/policy/response-headers.ts';
import { startOneVendor, type OneVendor } from '../helpers/one-vendor.ts';
import { sendRaw } from '../helpers/raw-http.ts';

/**
 * What comes back from a vendor, over real HTTP: whatever the vendor sends, only allowlisted
 * headers reach the browser, every answer (any type, none, 304, the vendor's own errors) carries
 * the sandbox CSP, and caching is private.
 */
const PATRON = { patronId: 'p-h1', barcode: '27100000000001', birthDate: '1980-01-01' };

/** Headers that act on the gateway's whole origin (or reach past it): examples of the class. */
const ORIGIN_WIDE: Record<string, string> = {
  'Service-Worker-Allowed': '/',
  NEL: '{"report_to":"default","max_age":31536000,"include_subdomains":true}',
  'Report-To': '{"group":"default","max_age":31536000,"endpoints":[{"url":"http://127.0.0.1:9/reports"}]}',
  'Reporting-Endpoints': 'default="http://127.0.0.1:9/reports"',
  'Speculation-Rules': '"/v/hv/rules.json"',
  Link: '<http://127.0.0.1:9/track.js>; rel=preload; as=script',
  'Accept-CH': 'Sec-CH-UA-Model, Sec-CH-UA-Platform-Version',
  'Critical-CH': 'Sec-CH-UA-Model',
  'Set-Login': 'logged-in',
  'Origin-Agent-Cluster': '?0',
  'Alt-Svc': 'h3=":443"; ma=86400',
  'Permissions-Policy': 'geolocation=*, camera=*',
  'Cross-Origin-Opener-Policy': 'unsafe-none',
  'X-Frame-Options': 'ALLOWALL',
  Refresh: '0; url=http://127.0.0.1:9/',
  'Content-Location': 'http://127.0.0.1:9/doc',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Credentials': 'true',
  'Clear-Site-Data': '"cookies", "storage", "cache"',
  'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload',
  'Content-Security-Policy-Report-Only': "default-src 'none'; report-uri http://127.0.0.1:9/csp",
  'Last-Modified': 'Tue, 03 Nov 2026 10:00:00 GMT',
  'X-Vendor-Made-Up': 'a name nobody listed',
};

let one: OneVendor;
let csp: string;

beforeAll(async () => {
  one = await startOneVendor({ patron: PATRON, vendor: 'hv', contract: 'identity: { delivery: none }' });
  csp = buildVendorCsp(one.gateway.url, 'hv');
  one.upstream.respond((req, res) => {
    const url = new URL(req.url ?? '/', 'http://vendor');
    const status = Number(url.searchParams.get('status') ?? '200');
    const type = url.searchParams.get('type');
    if (url.pathname === '/hints') {
      res.writeEarlyHints({ link: '<http://127.0.0.1:9/early.js>; rel=preload; as=script' });
    }
    const body = status === 304 || status === 204 ? '' : '<script>parent.document.cookie</script>';
    res.writeHead(status, { ...ORIGIN_WIDE, ...(type !== null ? { 'Content-Type': type } : {}), 'Cache-Control': 'public, max-age=600, s-maxage=3600', ETag: '"v-1"', 'Content-Language': 'es', ...(body === '' ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
});
afterAll(async () => {
  await one?.close();
});

function get(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${one.gateway.url}/v/hv${path}`, { ...init, headers: { cookie: one.cookie, ...(init.headers as Record<string, string> | undefined) }, redirect: 'manual' });
}

describe('vendor response headers are an allowlist', () => {
  it('no origin-wide header a vendor sends reaches the browser; what describes the body does', async () => {
    const response = await get('/page?type=text/html');
    expect(response.status).toBe(200);
    for (const name of Object.keys(ORIGIN_WIDE)) expect(response.headers.get(name), name).toBeNull();
    expect(response.headers.get('content-language')).toBe('es');
    expect(response.headers.get('content-type')).toBe('text/html');
    // Every header that arrives is either on the allowlist, one the gateway sets itself, or framing.
    // (X-Request-Id is the gateway's own id for the request, never the vendor's.)
    const gatewayOwn = new Set(['x-content-type-options', 'referrer-policy', 'x-dns-prefetch-control', 'x-request-id', 'connection', 'keep-alive', 'transfer-encoding']);
    for (const [name] of response.headers as unknown as Iterable<[string, string]>) expect(PASSED_RESPONSE_HEADERS.has(name) || gatewayOwn.has(name), name).toBe(true);
  });

  it('a 103 Early Hints with a preload never reaches the browser (interim answers are not passed on)', async () => {
    const raw = await sendRaw(one.gateway.url, `GET /v/hv/hints HTTP/1.1\r\nHost: gateway\r\nCookie: ${one.cookie}\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).not.toMatch(/HTTP\/1\.1 103/);
    expect(raw.toLowerCase()).not.toContain('early.js');
    expect(raw.toLowerCase()).not.toContain('\r\nlink:');
  });
});

describe('every vendor answer is sandboxed and kept to the vendor\'s space, whatever its type', () => {
  it.each([
    ['HTML', '/a?type=text/html', 'GET', 200],
    ['a list of types ending in text/html (Chromium renders it as HTML)', `/a?type=${encodeURIComponent('application/json, text/html')}`, 'GET', 200],
    ['JSON', '/a?type=application/json', 'GET', 200],
    ['no Content-Type at all', '/a', 'GET', 200],
    ['an unparseable Content-Type', `/a?type=${encodeURIComponent('text/html;;;=x')}`, 'GET', 200],
    ['an image', '/a?type=image/png', 'GET', 200],
    ['plain text', '/a?type=text/plain', 'GET', 200],
    ['304 Not Modified', '/a?status=304', 'GET', 304],
    ['204 No Content', '/a?status=204', 'GET', 204],
    ['the vendor\'s own 404 page', '/a?status=404&type=text/html', 'GET', 404],
    ['the vendor\'s own 500 page', '/a?status=500&type=text/html', 'GET', 500],
    ['a HEAD request', '/a?type=text/html', 'HEAD', 200],
  ])('%s', async (_name, path, method, status) => {
    const response = await get(path, { method });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('private, max-age=600');
    expect(response.headers.get('vary')).toBe('Cookie');
  });

  it('the policy names this gateway\'s own origin and this vendor\'s path', () => {
    expect(csp).toContain(`default-src ${one.gateway.url}/v/hv/;`);
    expect(csp).toContain(`form-action ${one.gateway.url}/v/hv/;`);
    // Scripts fall back to default-src: the vendor's own space, and no inline script.
    expect(csp).not.toContain('script-src');
  });
});
