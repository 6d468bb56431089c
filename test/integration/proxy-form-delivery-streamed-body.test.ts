import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/gateway-harness.ts';
import { startOneVendor, type OneVendor } from '../helpers/one-vendor.ts';
import { sendRaw } from '../helpers/raw-http.ts';
import type { RecordingUpstream } from '../helpers/recording-upstream.ts';

// Identity delivery `form` adds the vendor view to a POST that has no body of its own. It decides
// "no body" from Content-Length alone, so a chunked upload (no Content-Length) counts as empty:
// the forward stage then sends the identity form as the complete body and the patron's upload
// is dropped without a word (before the forwarded-request change, it was appended after a body
// whose Content-Length did not cover it).
const PATRON = { patronId: 'p-form1', barcode: '21234000444444', birthDate: '1980-05-05' };
let fixture: OneVendor;
let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  fixture = await startOneVendor({ patron: PATRON, vendor: 'formy', contract: 'identity: { delivery: form }\npreset: pseudonymous\nrequest: { onPatronData: redact, bodyTypes: [application/octet-stream, application/x-www-form-urlencoded] }' });
  ({ upstream, gateway, cookie } = fixture);
});
afterAll(() => fixture.close());

describe('form identity delivery and a streamed body', () => {
  it('a chunked upload reaches the vendor as the patron sent it, not replaced by the identity form', async () => {
    const before = upstream.requests.length;
    const raw = await sendRaw(
      gateway.url,
      `POST /v/formy/upload HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    const received = upstream.requests[before];
    expect(received?.headers['content-type']).toBe('application/octet-stream');
    expect(received?.body.toString('utf8')).toBe('hello world');
  });

  it('a POST without a body still gets the identity form', async () => {
    const before = upstream.requests.length;
    const raw = await sendRaw(gateway.url, `POST /v/formy/login HTTP/1.1\r\nHost: x\r\nCookie: ${cookie}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(upstream.requests[before]?.body.toString('utf8')).toMatch(/^sub=[a-z2-7]+$/);
  });
});
