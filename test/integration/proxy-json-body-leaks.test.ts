import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

// JSON bodies are counted on the parsed document and sent byte for byte when nothing was found.
// The parsed document is not the whole body: a duplicate key keeps only its last value, and a
// number beyond 2^53 is rounded. What the parser dropped must still not leave in the raw bytes.
// (Review finding; the keep-the-original-bytes behaviour predates the count-then-rebuild change.)
const SHORT = { patronId: 'p-json1', barcode: '21234000555555', birthDate: '1980-05-05', email: 'json.one@example.org' };
// Some libraries issue 17-digit cards: above Number.MAX_SAFE_INTEGER, so JSON.parse rounds them.
const LONG = { patronId: 'p-json2', barcode: '29000000000000017', birthDate: '1980-05-05' };
let upstream: RecordingUpstream;
let gateway: Harness;
let shortCookie: string;
let longCookie: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [
      { record: SHORT, pin: '1111' },
      { record: LONG, pin: '2222' },
    ],
    contracts: {
      redacting: testContract('redacting', upstream.url, 'identity: { delivery: none }\nrequest: { onPatronData: redact }'),
      blocking: testContract('blocking', upstream.url, 'identity: { delivery: none }\nrequest: { onPatronData: block }'),
    },
  });
  shortCookie = await gateway.login(SHORT.barcode, '1111');
  longCookie = await gateway.login(LONG.barcode, '2222');
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function post(vendor: string, cookie: string, body: string): Promise<{ status: number; sent: string | undefined }> {
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}/v/${vendor}/search`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  return { status: response.status, sent: upstream.requests[before]?.all };
}

describe('JSON bodies: what the parser drops does not leave in the raw bytes', () => {
  it('a card number under a duplicate key (shadowed by a later clean value) is redacted, not forwarded verbatim', async () => {
    const { status, sent } = await post('redacting', shortCookie, `{"card":"${SHORT.barcode}","card":"x"}`);
    expect(status).toBe(200);
    expect(sent).toBeDefined();
    expect(sent).not.toContain(SHORT.barcode);
  });

  it('an email under a duplicate key, written with JSON \\u escapes, is redacted too', async () => {
    const escaped = [...SHORT.email].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const { sent } = await post('redacting', shortCookie, `{"e":"${escaped}","e":"x"}`);
    expect(sent).toBeDefined();
    expect(sent).not.toContain(escaped);
    expect(sent).not.toContain(SHORT.email);
  });

  it('a duplicate-key card number is blocked (403) by a blocking contract, and the vendor gets nothing', async () => {
    const before = upstream.requests.length;
    const { status } = await post('blocking', shortCookie, `{"card":"${SHORT.barcode}","card":"x"}`);
    expect(status).toBe(403);
    expect(upstream.requests.length).toBe(before);
  });

  it('a 17-digit card number sent as a JSON number (rounded by JSON.parse) is redacted, not forwarded verbatim', async () => {
    const { status, sent } = await post('redacting', longCookie, `{"card":${LONG.barcode}}`);
    expect(status).toBe(200);
    expect(sent).toBeDefined();
    expect(sent).not.toContain(LONG.barcode);
  });

  it('a clean body still goes out byte for byte (spacing and key order kept)', async () => {
    const body = '{ "q" : "dune",  "page": 2 }';
    const { sent } = await post('redacting', shortCookie, body);
    expect(sent?.endsWith(body)).toBe(true);
  });
});
