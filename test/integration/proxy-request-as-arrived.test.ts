import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { sendRaw } from '../helpers/raw-http.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

// The forward stage hands the vendor a request of its own and leaves the patron's as it arrived:
// what the gateway answers (language, error page) is decided from what the patron sent.
const SPANISH = { patronId: 'p-ar1', barcode: '23000000000001', birthDate: '1980-05-05', language: 'es' };
let upstream: RecordingUpstream;
let closed: Server;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  // A port that refuses connections: listen, note the port, close.
  closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  gateway = await startGateway({
    patrons: [{ record: SPANISH, pin: '1111' }],
    contracts: {
      books: testContract('books', upstream.url, 'identity: { delivery: none }\nrequest: { onPatronData: redact }'),
      gone: testContract('gone', `http://127.0.0.1:${closedPort}`, 'identity: { delivery: none }'),
    },
  });
  cookie = await gateway.login(SPANISH.barcode, '1111');
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('the patron request is left as it arrived', () => {
  it("a Spanish-speaking patron's 502 page is in Spanish although the browser asks for English (the record's language decides, not headers rewritten for the vendor)", async () => {
    const page = await fetch(`${gateway.url}/v/gone/x`, { headers: { cookie, accept: 'text/html', 'accept-language': 'en' } });
    expect(page.status).toBe(502);
    const text = await page.text();
    expect(text).toMatch(/<html lang="es"/);
    expect(text).toContain('El servicio no responde');
  });

  it('a body announced with Expect: 100-continue is scrubbed like any other (the vendor never sees the Expect header or the card number)', async () => {
    const body = JSON.stringify({ q: SPANISH.barcode });
    const before = upstream.requests.length;
    const raw = await sendRaw(
      gateway.url,
      `POST /v/books/search HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(raw).toMatch(/HTTP\/1\.1 200/);
    const received = upstream.requests[before];
    expect(received?.body.toString('utf8')).not.toContain(SPANISH.barcode);
    expect(received?.body.toString('utf8')).toContain('[redacted]');
    expect(received?.rawHeaders.map((h) => h.toLowerCase())).not.toContain('expect');
  });
});
