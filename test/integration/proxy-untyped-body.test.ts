import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/gateway-harness.ts';
import { startOneVendor, type OneVendor } from '../helpers/one-vendor.ts';
import { sendRaw } from '../helpers/raw-http.ts';
import type { RecordingUpstream } from '../helpers/recording-upstream.ts';

// The new media-type reading refuses a body whose Content-Type cannot be read ("it cannot be
// classified, so it does not leave"), but a body with no Content-Type at all is classified as
// 'other' and streamed to the vendor unchecked. Many vendor stacks parse such a body as JSON or
// form data anyway, so the patron's card number typed into it reaches the vendor.
const PATRON = { patronId: 'p-untyped', barcode: '21234000777777', birthDate: '1980-05-05' };
let fixture: OneVendor;
let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  fixture = await startOneVendor({ patron: PATRON, vendor: 'books', contract: 'identity: { delivery: none }\nrequest: { onPatronData: redact }' });
  ({ upstream, gateway, cookie } = fixture);
});
afterAll(() => fixture.close());

describe('a request body without a Content-Type', () => {
  it('does not carry the patron card number to the vendor unchecked (it cannot be classified, so it must not leave as is)', async () => {
    const before = upstream.requests.length;
    const body = `{"card":"${PATRON.barcode}"}`;
    const raw = await sendRaw(gateway.url, `POST /v/books/search HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    expect(raw).toMatch(/^HTTP\/1\.1 415/);
    expect(upstream.requests.slice(before).map((r) => r.all).join('\n')).not.toContain(PATRON.barcode);
  });

  it('a chunked body without a Content-Type is refused the same way', async () => {
    const before = upstream.requests.length;
    const chunk = `card=${PATRON.barcode}`;
    const raw = await sendRaw(gateway.url, `POST /v/books/search HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 415/);
    expect(upstream.requests.slice(before).map((r) => r.all).join('\n')).not.toContain(PATRON.barcode);
  });

  it('a request without a body needs no Content-Type (GET and an empty POST still go through)', async () => {
    expect((await fetch(`${gateway.url}/v/books/a`, { headers: { cookie } })).status).toBe(200);
    const raw = await sendRaw(gateway.url, `POST /v/books/ping HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
  });
});
