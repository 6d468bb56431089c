import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { browseRequest, enterVendor, PROXY_HOST, proxiedHost } from '../helpers/browse.ts';

/**
 * The headers of a page on a vendor origin: the gateway's egress CSP beside the vendor's, allowing
 * only the vendor's proxied origins; Referrer-Policy same-origin; Origin-Agent-Cluster; a
 * deny-by-default Permissions-Policy; origin-wide headers a vendor sends are removed; Location is
 * rewritten onto the proxied origin.
 */
const PATRON = { patronId: 'p-rh-1', barcode: '27700000000001', birthDate: '1980-01-01' };

let upstream: RecordingUpstream;
let gateway: Harness;
let www = '';
let cdn = '';
let cookies = new Map<string, string>();

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '4444' }],
    contracts: {
      site: `id: site
name: Site
kind: database
purpose: Testing browse mode
contract: { reference: T-site, effective: 2026-01-01, expires: 2027-12-31 }
upstream:
  url: http://www.site.example:${upstream.port}/
  hosts: [www.site.example, cdn.site.example]
  pin: { www.site.example: 127.0.0.1, cdn.site.example: 127.0.0.1 }
browse: {}
identity: { delivery: none }
preset: anonymous
minors: { under13: anonymous }
`,
    },
    browse: { proxyHost: PROXY_HOST },
  });
  www = proxiedHost(`www.site.example:${upstream.port}`, gateway.url);
  cdn = proxiedHost(`cdn.site.example:${upstream.port}`, gateway.url);
  cookies = (await enterVendor(gateway.url, await gateway.login(PATRON.barcode, '4444'), 'site')).cookies;
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function answerWith(headers: Record<string, string>, status = 200): Promise<Record<string, string | string[] | undefined>> {
  upstream.respond((_req, res) => {
    res.statusCode = status;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end('<!doctype html><p>page</p>');
  });
  return (await browseRequest(gateway.url, www, '/page', { cookie: cookies.get(www) })).headers;
}

describe('privacy headers on a vendor origin', () => {
  it("sets the gateway's egress CSP naming only this vendor's proxied origins for every fetch directive, forms and base", async () => {
    const headers = await answerWith({});
    const csp = String(headers['content-security-policy']);
    const own = `http://${www} http://${cdn}`;
    for (const directive of ['script-src', 'style-src', 'img-src', 'font-src', 'connect-src', 'frame-src', 'form-action', 'base-uri']) {
      expect(csp).toMatch(new RegExp(`${directive} ${own.replaceAll('.', '\\.')}(;| '| data:| blob:|$)`));
    }
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('site.example:');
  });

  it("keeps the vendor's own CSP beside the gateway's (both apply), its reporting removed", async () => {
    const headers = await answerWith({ 'content-security-policy': "script-src 'self'; report-uri https://collector.example/csp" });
    const csp = String(headers['content-security-policy']);
    expect(csp.startsWith("script-src 'self'")).toBe(true);
    expect(csp).not.toContain('collector.example');
    expect(csp).toContain(`connect-src http://${www}`);
  });

  it('sets Referrer-Policy same-origin, Origin-Agent-Cluster ?1, nosniff and a Permissions-Policy that turns features off', async () => {
    const headers = await answerWith({ 'referrer-policy': 'unsafe-url', 'permissions-policy': 'geolocation=*' });
    expect(headers['referrer-policy']).toBe('same-origin');
    expect(headers['origin-agent-cluster']).toBe('?1');
    expect(headers['x-content-type-options']).toBe('nosniff');
    for (const feature of ['camera=()', 'geolocation=()', 'microphone=()', 'payment=()', 'browsing-topics=()']) expect(headers['permissions-policy']).toContain(feature);
  });

  const originWide = ['nel', 'report-to', 'reporting-endpoints', 'clear-site-data', 'service-worker-allowed', 'alt-svc', 'accept-ch', 'strict-transport-security', 'x-frame-options', 'timing-allow-origin', 'server-timing'];
  it(`removes the origin-wide headers a vendor sends (${originWide.join(', ')})`, async () => {
    const headers = await answerWith(Object.fromEntries(originWide.map((name) => [name, name === 'clear-site-data' ? '"cookies"' : 'x'])));
    for (const name of originWide) expect(headers[name], name).toBeUndefined();
  });

  it('rewrites a Location to another allowed host onto its proxied origin, and makes caching private', async () => {
    const headers = await answerWith({ location: `http://cdn.site.example:${upstream.port}/file.pdf`, 'cache-control': 'public, max-age=600' }, 302);
    expect(headers.location).toBe(`http://${cdn}/file.pdf`);
    expect(String(headers['cache-control'])).toContain('private');
    expect(String(headers['cache-control'])).not.toContain('public');
  });
});

describe('CORS preflights between a vendor\'s own origins', () => {
  it("are answered by the gateway for the vendor's own origins (browsers send them without cookies), never forwarded", async () => {
    const before = upstream.requests.length;
    const answer = await browseRequest(gateway.url, cdn, '/api/items', { method: 'OPTIONS', headers: { origin: `http://${www}`, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(`http://${www}`);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(answer.headers['access-control-allow-headers']).toBe('content-type');
    expect(upstream.requests.length).toBe(before);
  });

  it('grants nothing to an origin that is not this vendor\'s', async () => {
    const answer = await browseRequest(gateway.url, cdn, '/api/items', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
