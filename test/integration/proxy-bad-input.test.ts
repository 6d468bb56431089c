import { EncryptJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_KEY, startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { sendRaw } from '../helpers/raw-http.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const ADULT = { patronId: 'p-b1', barcode: '23000000000001', birthDate: '1980-05-05', firstName: 'Octavia' };
let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: ADULT, pin: '1111' }],
    contracts: { ebooks: testContract('ebooks', upstream.url, 'identity: { delivery: jwt }\npreset: pseudonymous\nrequest: { onPatronData: redact, bodyTypes: [application/json, application/x-www-form-urlencoded, application/epub+zip] }') },
    settings: { limits: { bodyBytes: 2048, patronCacheSize: 10, patronCacheTtlSeconds: 60, sessionTtlSeconds: 600, loginAttemptsPerMinute: 10, loginFailuresPerCard: 10 } },
  });
  cookie = await gateway.login(ADULT.barcode, '1111');
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const sessionValue = () => /gw_session=([^;]+)/.exec(cookie)?.[1] ?? '';

describe('bad input never reaches a vendor', () => {
  it.each([
    ['no session cookie', ''],
    ['a malformed session cookie', 'gw_session=not-a-token'],
    ['a truncated session token', () => `gw_session=${sessionValue().slice(0, -5)}`],
    ['a tampered session token', () => { const parts = sessionValue().split('.'); const c = parts[3] ?? ''; parts[3] = (c[0] === 'A' ? 'B' : 'A') + c.slice(1); return `gw_session=${parts.join('.')}`; }],
    ['a session sealed with another key', async () => `gw_session=${await new EncryptJWT({ sid: 'x', pid: ADULT.patronId }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuer('patron-privacy-gateway/session').setExpirationTime('1h').encrypt(new Uint8Array(32).fill(1))}`],
    ['a session for a patron that does not exist', async () => `gw_session=${await new EncryptJWT({ sid: 'y', pid: 'nobody' }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuer('patron-privacy-gateway/session').setExpirationTime('1h').encrypt(new Uint8Array(SESSION_KEY))}`],
  ])('%s: 401 JSON for API clients, a login redirect for browsers', async (_name, make) => {
    const value = typeof make === 'function' ? await make() : make;
    const before = upstream.requests.length;
    const api = await fetch(`${gateway.url}/v/ebooks/x`, { headers: { cookie: value, accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'not_authenticated', message: expect.any(String) });
    const browser = await fetch(`${gateway.url}/v/ebooks/x?y=1`, { headers: { cookie: value, accept: 'text/html' }, redirect: 'manual' });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/v/ebooks/x?y=1')}`);
    expect(upstream.requests.length).toBe(before);
  });

  it('an expired session is refused', async () => {
    gateway.clock.now = new Date(gateway.clock.now.getTime() + 601_000);
    try {
      expect((await fetch(`${gateway.url}/v/ebooks/x`, { headers: { cookie } })).status).toBe(401);
    } finally {
      gateway.clock.now = new Date('2026-11-29T12:00:00Z');
    }
  });

  it.each([
    ['/v/ebooks/../../login'],
    ['/v/ebooks/a/%2e%2e/%2e%2e/login'],
    ['/v/ebooks/%2E%2E/metrics'],
    ['/v/ebooks/%252e%252e/%252e%252e/login'],
    ['/v/ebooks/a%2f..%2f..%2flogin'],
    ['/v/ebooks/a\\..\\login'],
    ['/v/ebooks/./x'],
  ])('path traversal %s is refused with 400', async (path) => {
    const before = upstream.requests.length;
    const raw = await sendRaw(gateway.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1.1 400 /);
    expect(upstream.requests.length).toBe(before);
  });

  it.each([['/v/nope/'], ['/v/NOPE/x'], ['/v/nope']])('an unknown vendor (%s) is 404 without echoing its name', async (path) => {
    const response = await fetch(`${gateway.url}${path}`, { headers: { cookie } });
    expect([404, 400]).toContain(response.status);
    expect(await response.text()).not.toMatch(/nope/i);
  });

  it('the vendor root without its slash redirects to it', async () => {
    const response = await fetch(`${gateway.url}/v/ebooks`, { headers: { cookie }, redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('/v/ebooks/');
  });

  it('an absolute-URI request is never proxied anywhere', async () => {
    const before = upstream.requests.length;
    const raw = await sendRaw(gateway.url, `GET http://evil.example/v/ebooks/x HTTP/1.1\r\nHost: evil.example\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1.1 (400|404) /);
    expect(upstream.requests.length).toBe(before);
  });

  it('a Host header naming another site changes nothing about where the request goes', async () => {
    const before = upstream.requests.length;
    const raw = await sendRaw(gateway.url, `GET /v/ebooks/x HTTP/1.1\r\nHost: evil.example\r\nX-Forwarded-Host: evil.example\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1.1 200 /);
    expect(upstream.requests.length).toBe(before + 1);
    expect(upstream.requests[before]?.headers.host).toBe(new URL(upstream.url).host);
    expect(upstream.requests[before]?.headers['x-forwarded-host']).toBeUndefined();
  });

  it('CRLF injected into a header is rejected before anything is forwarded', async () => {
    const before = upstream.requests.length;
    const raw = await sendRaw(gateway.url, `GET /v/ebooks/x HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nAccept: a\rX-Injected: yes\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1.1 400 /);
    expect(upstream.requests.length).toBe(before);
  });

  it('a body over the limit is 413 and never forwarded', async () => {
    const before = upstream.requests.length;
    const response = await fetch(`${gateway.url}/v/ebooks/upload`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ data: 'x'.repeat(5000) }) });
    expect(response.status).toBe(413);
    expect(upstream.requests.length).toBe(before);
  });

  it('a streamed (chunked) body over the limit is 413 too', async () => {
    const before = upstream.requests.length;
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(`"${'y'.repeat(500)}",`));
        controller.close();
      },
    });
    const response = await fetch(`${gateway.url}/v/ebooks/upload`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(upstream.requests.length).toBe(before);
  });

  it('a client that goes away in the middle of a JSON body it announced sends the vendor nothing, and the gateway keeps serving (the body is never complete, so it is never checked or forwarded)', async () => {
    const before = upstream.requests.length;
    const { connect } = await import('node:net');
    const { hostname, port } = new URL(gateway.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(`POST /v/ebooks/api HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"q": "${ADULT.barcode}`);
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.requests.length).toBe(before);
    expect((await fetch(`${gateway.url}/v/ebooks/ok`, { headers: { cookie } })).status).toBe(200);
  });

  it('malformed JSON is 400 and never forwarded', async () => {
    const before = upstream.requests.length;
    const response = await fetch(`${gateway.url}/v/ebooks/api`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"a": ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'malformed_json' });
    expect(upstream.requests.length).toBe(before);
  });

  it('a body type the contract does not accept is 415', async () => {
    const response = await fetch(`${gateway.url}/v/ebooks/api`, { method: 'POST', headers: { cookie, 'content-type': 'application/octet-stream' }, body: 'Octavia' });
    expect(response.status).toBe(415);
  });

  it.each([
    ['json;charset', 'not a type/subtype pair'],
    ['application/ json', 'a space inside the media type'],
    ['text/plain/extra', 'two slashes'],
  ])('a body whose Content-Type (%s) cannot be read is 415 and never forwarded (%s: it cannot be classified, so it cannot be checked)', async (type) => {
    const before = upstream.requests.length;
    const response = await fetch(`${gateway.url}/v/ebooks/api`, { method: 'POST', headers: { cookie, 'content-type': type }, body: '{"card": "x"}' });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: 'unsupported_body' });
    expect(upstream.requests.length).toBe(before);
  });

  it('a compressed JSON body, which cannot be checked, is refused', async () => {
    const response = await fetch(`${gateway.url}/v/ebooks/api`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: 'xx' });
    expect(response.status).toBe(415);
  });

  it('an allowed binary upload streams through untouched', async () => {
    const before = upstream.requests.length;
    const bytes = Buffer.alloc(10_000, 7);
    const response = await fetch(`${gateway.url}/v/ebooks/upload`, { method: 'PUT', headers: { cookie, 'content-type': 'application/epub+zip' }, body: bytes });
    expect(response.status).toBe(200);
    expect(upstream.requests[before]?.body.equals(bytes)).toBe(true);
  });

  it('the gateway keeps serving after all of the above', async () => {
    expect((await fetch(`${gateway.url}/v/ebooks/ok`, { headers: { cookie } })).status).toBe(200);
  });
});
