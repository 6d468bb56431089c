import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, vendorCookieTag, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const ADULT = { patronId: 'p-f1', barcode: '22000000000001', birthDate: '1980-05-05' };
let healthy: RecordingUpstream;
let faulty: Server;
let closedPort: number;
let gateway: Harness;
let cookie: string;

/** A misbehaving vendor: each path misbehaves its own way. */
function startFaultyUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    switch (req.url) {
      case '/reset-mid-body':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '100000' });
        res.write(Buffer.alloc(1000, 1));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case '/reset-before-headers':
        req.socket.destroy();
        return;
      case '/hang':
        return; // never answers
      case '/error-500':
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('vendor broke');
        return;
      case '/huge-headers':
        res.writeHead(200, { 'x-huge': 'a'.repeat(40_000) });
        res.end('ok');
        return;
      default:
        res.end('fine');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  healthy = await startRecordingUpstream();
  faulty = await startFaultyUpstream();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const faultyUrl = `http://127.0.0.1:${(faulty.address() as AddressInfo).port}`;
  gateway = await startGateway({
    patrons: [{ record: ADULT, pin: '1111' }],
    contracts: {
      healthy: testContract('healthy', healthy.url, 'identity: { delivery: none }'),
      faulty: testContract('faulty', faultyUrl, 'identity: { delivery: none }').replace('timeoutMs: 2000', 'timeoutMs: 300'),
      gone: testContract('gone', `http://127.0.0.1:${closedPort}`, 'identity: { delivery: none }'),
      remote: `id: remote
name: Remote Vendor
kind: database
purpose: Testing
contract: { reference: R-1, effective: 2026-01-01, expires: 2027-12-31 }
upstream: { url: "https://api.remote-vendor.example/base", hosts: [api.remote-vendor.example], timeoutMs: 2000 }
identity: { delivery: headers }
preset: pseudonymous
`,
    },
  });
  cookie = await gateway.login(ADULT.barcode, '1111');
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await gateway.close();
  await healthy.close();
  faulty.closeAllConnections();
  faulty.close();
});

async function get(path: string, accept = 'application/json') {
  const response = await fetch(`${gateway.url}${path}`, { headers: { cookie, accept } });
  return { status: response.status, text: await response.text() };
}

async function stillServing(): Promise<void> {
  expect((await get('/healthz')).status).toBe(200);
  expect((await get('/v/healthy/ok')).status).toBe(200);
}

describe('upstream faults', () => {
  it.each([
    ['connection refused', '/v/gone/x', 502, 'upstream_unreachable', 'refused'],
    ['a reset before any response', '/v/faulty/reset-before-headers', 502, 'upstream_unreachable', 'reset'],
    ['a timeout', '/v/faulty/hang', 504, 'upstream_timeout', 'timeout'],
    ['oversized response headers', '/v/faulty/huge-headers', 502, 'upstream_bad_response', 'bad_status'],
  ])('%s gives a clear error naming no URL or host (%s), and the gateway keeps serving', async (_name, path, status, code, kind) => {
    const json = await get(path);
    expect(json.status).toBe(status);
    expect(JSON.parse(json.text)).toMatchObject({ error: code });
    expect(json.text).not.toMatch(/127\.0\.0\.1|localhost|http:|\/hang|\/x/);
    const page = await get(path, 'text/html');
    expect(page.status).toBe(status);
    expect(page.text).toMatch(/(gone|faulty) display name/);
    expect(page.text).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`gateway_upstream_errors_total\\{vendor="(gone|faulty)",kind="${kind}",channel="http"\\} [1-9]`));
    await stillServing();
  });

  it('a reset mid-body cuts the patron\'s download instead of handing over a truncated file as complete', async () => {
    await expect(fetch(`${gateway.url}/v/faulty/reset-mid-body`, { headers: { cookie } }).then((r) => r.arrayBuffer())).rejects.toThrow();
    await stillServing();
  });

  it("a vendor's own 500 is passed on as the vendor's answer and counted as bad_status", async () => {
    const result = await get('/v/faulty/error-500');
    expect(result.status).toBe(500);
    expect(result.text).toBe('vendor broke');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_errors_total\{vendor="faulty",kind="bad_status",channel="http"\} [1-9]/);
  });

  describe('a vendor host that does not exist here (nock)', () => {
    beforeAll(() => {
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
    });

    it('receives the request at its own base path, with the identity headers and nothing else', async () => {
      // badheaders: the interceptor only matches when none of these arrive.
      const scope = nock('https://api.remote-vendor.example', { badheaders: ['x-forwarded-for', 'cookie', 'forwarded', 'x-real-ip'] })
        .get('/base/search')
        .query({ q: 'birds' })
        .matchHeader('x-patron-sub', /^[a-z2-7]{32}$/)
        .reply(302, 'moved', { Location: 'https://api.remote-vendor.example/base/results?id=7', 'Set-Cookie': 'sid=abc; Domain=remote-vendor.example; Path=/; Secure' });
      const response = await fetch(`${gateway.url}/v/remote/search?q=birds`, { headers: { cookie }, redirect: 'manual' });
      expect(scope.isDone()).toBe(true);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/v/remote/results?id=7');
      expect(response.headers.getSetCookie()).toEqual([`vc.remote.sid=${vendorCookieTag(ADULT.patronId, 'remote')}.abc; Path=/v/remote/; HttpOnly; SameSite=Lax`]);
    });

    it('maps a DNS or connection failure to 502', async () => {
      nock('https://api.remote-vendor.example').get('/base/x').replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      const result = await get('/v/remote/x');
      expect(result.status).toBe(502);
      expect(result.text).not.toMatch(/remote-vendor/);
    });
  });
});
