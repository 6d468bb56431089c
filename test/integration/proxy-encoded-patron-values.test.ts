import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../helpers/gateway-harness.ts';
import { startOneVendor, type OneVendor } from '../helpers/one-vendor.ts';
import type { RecordingUpstream } from '../helpers/recording-upstream.ts';

// Query strings, form bodies and JSON bodies are scanned whole first (one pass of the guard) and
// value by value only when something was found. These cases check that the whole-text pass sees
// everything the value-by-value scan would: every depth of encoding, keys, and numbers.
const PATRON = { patronId: 'p-enc', barcode: '21234000777777', birthDate: '1980-05-05', email: 'enc.patron@example.org' };
let fixture: OneVendor;
let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  fixture = await startOneVendor({ patron: PATRON, vendor: 'books', contract: 'identity: { delivery: none }\nrequest: { onPatronData: redact }' });
  ({ upstream, gateway, cookie } = fixture);
});
afterAll(() => fixture.close());

const encode = (text: string, times: number): string => (times === 0 ? text : encode(encodeURIComponent(text), times - 1));

/** What the vendor received (URL and body), fully decoded so no encoding can hide a value from the assertion. */
async function received(path: string, init: RequestInit = {}): Promise<string> {
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  const all = upstream.requests.slice(before).map((r) => `${r.url}\n${r.body.toString('utf8')}`).join('\n');
  let text = all;
  for (let i = 0; i < 4; i++) text = decodeURIComponent(text.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
  return text;
}

describe('patron values are caught whatever the encoding, with the fast whole-text pass', () => {
  it.each([1, 2, 3])('an email percent-encoded %i time(s) in the query is redacted (the parameter parser decodes once, the scan twice more)', async (times) => {
    expect(await received(`/v/books/search?q=${encode(PATRON.email, times)}&page=2`)).not.toContain(PATRON.email);
  });

  it.each([1, 2, 3])('an email percent-encoded %i time(s) in a form body is redacted', async (times) => {
    const text = await received('/v/books/search', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `q=${encode(PATRON.email, times)}&page=2` });
    expect(text).not.toContain(PATRON.email);
  });

  it.each([
    ['a JSON key', `{"${PATRON.email}": true}`],
    ['a JSON number in exponent form (the vendor reads 21234000777777)', '{"card": 2.1234000777777e13}'],
    ['a JSON number', `{"card": ${PATRON.barcode}}`],
    ['a JSON number in exponent form inside an array', '{"cards": [1, 2.1234000777777e13]}'],
    ['a \\u-escaped JSON string', `{"q": "${[...PATRON.barcode].map((c) => `\\u00${c.charCodeAt(0).toString(16)}`).join('')}"}`],
    ['a percent-encoded JSON string', `{"q": "${encodeURIComponent(PATRON.email)}"}`],
  ])('%s is redacted', async (_where, body) => {
    const text = await received('/v/books/api', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(text).not.toContain(PATRON.barcode);
    expect(text).not.toContain(PATRON.email);
    expect(text).toContain('[redacted]');
  });

  it('a clean JSON body goes out byte for byte (nothing to redact, nothing rebuilt)', async () => {
    const body = '{ "q" : "birds",  "page": 2 }';
    const before = upstream.requests.length;
    await (await fetch(`${gateway.url}/v/books/api`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body })).arrayBuffer();
    expect(upstream.requests[before]?.body.toString('utf8')).toBe(body);
  });
});
