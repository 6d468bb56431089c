import busboy from 'busboy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * The patron-value guard on every body and every spelling, end to end: a blocking vendor receives
 * nothing when the patron's own value is in the request however it is written, and a redacting
 * vendor receives the request without it. Each value is caught only by its own rule (the first
 * name is not the start of the e-mail, and so on).
 */
const PATRON = {
  patronId: 'p-spell-41',
  barcode: '27311000864209',
  email: 'k.weatherby@post.example',
  phone: '(415) 555-0142',
  birthDate: '1975-11-23',
  firstName: 'Philippa',
  lastName: 'Ashgrove',
};
const CARD = PATRON.barcode;
const pct = (text: string): string => [...Buffer.from(text)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const pct2 = (text: string): string => pct(text).replace(/%/g, '%25');
const uEscape = (text: string): string => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const fullwidth = (text: string): string => text.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
const boldSurrogates = (digits: string): string => [...digits].map((d) => String.fromCodePoint(0x1d7ce + Number(d)).split('').map((u) => `\\u${u.charCodeAt(0).toString(16)}`).join('')).join('');
const entities = (text: string): string => [...text].map((c) => `&#${c.charCodeAt(0)};`).join('');

let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '1111' }],
    contracts: {
      strict: testContract('strict', upstream.url, 'identity: { delivery: none }\nrequest: { onPatronData: block }'),
      scrub: testContract('scrub', upstream.url, 'identity: { delivery: none }\nrequest: { onPatronData: redact, bodyTypes: [multipart/form-data, image/png, text/plain, application/json] }'),
      // Form delivery: the vendor reads identity from posted fields.
      formy: testContract('formy', upstream.url, 'identity: { delivery: form }\npreset: pseudonymous\nrequest: { onPatronData: redact }'),
      // Lists an identity header and X-Patron-Sub as allowed: a client still cannot send either.
      lax: testContract('lax', upstream.url, 'identity: { delivery: jwt, header: X-Library-Assertion }\npreset: pseudonymous\nrequest: { onPatronData: redact, headers: [x-library-assertion, x-patron-sub] }'),
    },
  });
  cookie = await gateway.login(PATRON.barcode, '1111');
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function send(vendor: string, init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | FormData }): Promise<Response> {
  return fetch(`${gateway.url}/v/${vendor}${init.path ?? '/search'}`, { method: init.method ?? 'POST', headers: { cookie, ...(init.headers ?? {}) }, ...(init.body !== undefined ? { body: init.body } : {}) });
}

const json = (body: string) => ({ headers: { 'content-type': 'application/json' }, body });
const text = (type: string, body: string) => ({ headers: { 'content-type': type }, body });
const form = (body: string) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
const formData = (fill: (data: FormData) => void) => {
  const data = new FormData();
  fill(data);
  return { body: data };
};

describe('a blocking vendor receives nothing, however the value is spelled', () => {
  it.each([
    // JSON: what is forwarded is scanned, not only what JSON.parse keeps
    ['JSON, a duplicate key whose first value is the card (JSON.parse keeps only the last)', json(`{"q":"${CARD}","q":"x"}`)],
    ['JSON, the card as \\u escapes', json(`{"q":"${uEscape(CARD)}"}`)],
    ['JSON, the e-mail with an escaped slash and \\u0040 for @', json(`{"q":"k.weatherby\\u0040post.example\\/x"}`)],
    ['JSON, the card in mathematical digits written as surrogate pairs', json(`{"q":"${boldSurrogates(CARD)}"}`)],
    ['JSON, the card as a number', json(`{"n":${CARD}}`)],
    ['JSON, the card as a negative number', json(`{"n":-${CARD}}`)],
    ['JSON, the card as an exponent-form number, nested in arrays', json(`{"a":[[{"b":[2.7311000864209E+13]}]]}`)],
    ['JSON, the card as a number with a fraction', json(`{"n":${CARD}.0}`)],
    ['JSON, the card as a key', json(`{"${CARD}":true}`)],
    ['JSON, the card percent-encoded in a string', json(`{"q":"${pct(CARD)}"}`)],
    ['JSON, the card percent-encoded twice (the second decoding pass)', json(`{"q":"${pct2(CARD)}"}`)],
    ['JSON, the card in fullwidth digits', json(`{"q":"${fullwidth(CARD)}"}`)],
    ['JSON, the birth date day first', json('{"dob":"23.11.1975"}')],
    ['JSON, the phone with keypad letters (415-555-0142 has none, digits with dots)', json('{"tel":"415.555.0142"}')],
    // form
    ['form, the e-mail percent-encoded twice (the second decoding pass)', form(`mail=${pct2(PATRON.email)}`)],
    ['form, the e-mail with a sub-address tag', form('mail=k.weatherby%2Bshop%40post.example')],
    ['form, the card with spaces as printed', form('card=27311+000+864209')],
    // text bodies: percent-decoded and character references undone, as the README promises
    ['text, the card percent-encoded', text('text/plain', `card ${pct(CARD)}`)],
    ['text, the card percent-encoded twice (the second decoding pass)', text('text/plain', `card ${pct2(CARD)}`)],
    ['text, the e-mail with &commat;', text('text/html', 'mail k.weatherby&commat;post.example')],
    ['text, the card as numeric character references', text('application/xml', `<card>${entities(CARD)}</card>`)],
    ['text, the card with zero-width spaces', text('text/plain', `2731\u200B1000\u200B864209`)],
    ['text, the last name', text('text/plain', 'by ashgrove')],
    // multipart/form-data: every new FormData() post
    ['multipart, the card as a field value', formData((d) => d.append('q', CARD))],
    ['multipart, the card as a field name', formData((d) => d.append(CARD, 'x'))],
    ['multipart, the e-mail as a file name', formData((d) => d.append('f', new Blob(['x'], { type: 'text/plain' }), `${PATRON.email}.txt`))],
    ['multipart, the card inside a text file', formData((d) => d.append('f', new Blob([`card: ${CARD}`], { type: 'text/plain' }), 'note.txt'))],
    ['multipart, the card \\u-escaped inside a JSON file', formData((d) => d.append('f', new Blob([`{"c":"${uEscape(CARD)}"}`], { type: 'application/json' }), 'a.json'))],
    ['multipart, the card percent-encoded twice in a field', formData((d) => d.append('q', pct2(CARD)))],
    // the URL and headers: the second decoding pass
    ['the query, the e-mail percent-encoded twice', { method: 'GET', path: `/search?q=${pct2(PATRON.email)}` }],
    ['the path, the card percent-encoded twice', { method: 'GET', path: `/items/${pct2(CARD)}` }],
    ['a header, the e-mail percent-encoded twice', { method: 'GET', headers: { 'user-agent': `reader ${pct2(PATRON.email)}` } }],
  ] as const)('%s', async (_name, request) => {
    const before = upstream.requests.length;
    const response = await send('strict', request as Parameters<typeof send>[1]);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain(CARD);
    expect(upstream.requests.length).toBe(before);
  });
});

describe('bodies the guard cannot read are refused by default (fail closed)', () => {
  it.each([
    ['no Content-Type at all', { body: `card ${CARD}`, headers: { 'content-type': '' } }],
    ['an unknown type', text('application/x-unknown', `card ${CARD}`)],
    ['a binary type', text('application/octet-stream', `card ${CARD}`)],
    ['multipart with a binary file part', formData((d) => d.append('f', new Blob(['....'], { type: 'image/png' }), 'a.png'))],
    ['multipart with a base64-encoded part (it would hide the value)', { headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: `--b\r\nContent-Disposition: form-data; name="q"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(CARD).toString('base64')}\r\n--b--\r\n` }],
  ] as const)('%s: 415, the vendor receives nothing', async (_name, request) => {
    const before = upstream.requests.length;
    const response = await send('strict', request as Parameters<typeof send>[1]);
    expect(response.status).toBe(415);
    expect(upstream.requests.length).toBe(before);
  });

  it('a malformed multipart body is a bad request (it cannot be read), and nothing leaves', async () => {
    const before = upstream.requests.length;
    const response = await send('strict', { headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: `--b\r\nContent-Disposition: form-data; name="q"\r\n\r\n${CARD}` });
    expect(response.status).toBe(400);
    expect(upstream.requests.length).toBe(before);
  });

  it('a multipart body without a boundary is a bad request', async () => {
    const response = await send('strict', { headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    expect(response.status).toBe(400);
  });
});

/** The parts of a multipart body as the vendor's parser reads them. */
function readParts(contentType: string, body: Buffer): Promise<Array<{ name: string; value: string; filename?: string; type?: string }>> {
  return new Promise((resolve, reject) => {
    const parts: Array<{ name: string; value: string; filename?: string; type?: string }> = [];
    const parser = busboy({ headers: { 'content-type': contentType }, preservePath: true });
    parser.on('field', (name, value) => parts.push({ name, value }));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => parts.push({ name, value: Buffer.concat(chunks).toString('latin1'), filename: info.filename, type: info.mimeType }));
    });
    parser.on('close', () => resolve(parts));
    parser.on('error', reject);
    parser.end(body);
  });
}

describe('a redacting vendor receives the request without the value', () => {
  it('multipart: the fields and files arrive rebuilt, the card redacted wherever it was, the rest intact', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const before = upstream.requests.length;
    const response = await send('scrub', formData((d) => {
      d.append('title', 'Dune');
      d.append('card', CARD);
      d.append('note', new Blob([`mine: ${fullwidth(CARD)}`], { type: 'text/plain' }), 'note.txt');
      d.append('cover', new Blob([png], { type: 'image/png' }), 'cover.png');
    }));
    expect(response.status).toBe(200);
    const received = upstream.requests[before];
    expect(received).toBeDefined();
    expect(received?.all).not.toContain(CARD);
    const parts = await readParts(String(received?.headers['content-type']), received?.body ?? Buffer.alloc(0));
    expect(parts).toEqual([
      { name: 'title', value: 'Dune' },
      { name: 'card', value: '[redacted]' },
      { name: 'note', value: 'mine: [redacted]', filename: 'note.txt', type: 'text/plain' },
      { name: 'cover', value: png.toString('latin1'), filename: 'cover.png', type: 'image/png' },
    ]);
    expect(received?.headers['content-length']).toBe(String(received?.body.length));
  });

  it('multipart: a clean body arrives with the same parts (rebuilt under a boundary of the gateway\'s)', async () => {
    const before = upstream.requests.length;
    const response = await send('scrub', formData((d) => {
      d.append('q', 'weather "by" the sea');
      d.append('f', new Blob(['line one\r\n--not-a-boundary\r\n'], { type: 'text/plain' }), 'a "quoted" name.txt');
    }));
    expect(response.status).toBe(200);
    const received = upstream.requests[before];
    expect(String(received?.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=gateway-[0-9a-f]{32}$/);
    expect(await readParts(String(received?.headers['content-type']), received?.body ?? Buffer.alloc(0))).toEqual([
      { name: 'q', value: 'weather "by" the sea' },
      { name: 'f', value: 'line one\r\n--not-a-boundary\r\n', filename: 'a %22quoted%22 name.txt', type: 'text/plain' },
    ]);
  });

  it('multipart: parts without a form-data disposition and extra part headers do not travel', async () => {
    const before = upstream.requests.length;
    const body = `preamble ${CARD}\r\n--b\r\nContent-Disposition: form-data; name="q"\r\nX-Card: ${CARD}\r\n\r\ndune\r\n--b\r\nContent-Disposition: attachment; name="z"\r\n\r\n${CARD}\r\n--b--\r\nepilogue ${CARD}`;
    const response = await send('scrub', { headers: { 'content-type': 'multipart/form-data; boundary=b' }, body });
    expect(response.status).toBe(200);
    const received = upstream.requests[before];
    expect(received?.all).not.toContain(CARD);
    expect(await readParts(String(received?.headers['content-type']), received?.body ?? Buffer.alloc(0))).toEqual([{ name: 'q', value: 'dune' }]);
  });

  it('text: a value found only once decoded is redacted in the decoded text, which is what leaves', async () => {
    const before = upstream.requests.length;
    const response = await send('scrub', text('text/plain', `see ${pct2(CARD)} now`));
    expect(response.status).toBe(200);
    expect(upstream.requests[before]?.body.toString()).toBe('see [redacted] now');
  });

  it('JSON: a duplicate key carrying the card is gone from what leaves (the document is rebuilt)', async () => {
    const before = upstream.requests.length;
    const response = await send('scrub', json(`{"q":"${CARD}","q":"dune"}`));
    expect(response.status).toBe(200);
    expect(upstream.requests[before]?.body.toString()).toBe('{"q":"dune"}');
  });

  it('form delivery: identity fields a patron posts in a multipart body never reach the vendor', async () => {
    const before = upstream.requests.length;
    const response = await send('formy', formData((d) => {
      d.append('sub', 'forged-sub');
      d.append('patronType', 'staff');
      d.append('q', 'dune');
    }));
    expect(response.status).toBe(200);
    const received = upstream.requests[before];
    expect(await readParts(String(received?.headers['content-type']), received?.body ?? Buffer.alloc(0))).toEqual([{ name: 'q', value: 'dune' }]);
  });

  it.each([
    ['a plain key', '{"sub":"forged-sub","q":"dune"}'],
    ['an escaped spelling of the key', '{"s\\u0075b":"forged-sub","q":"dune"}'],
    ['a duplicate key, the vendor parser keeping the last', '{"q":"dune","sub":"a","sub":"forged-sub"}'],
    ['another released field', '{"patronType":"staff","q":"dune"}'],
  ])('form delivery: identity keys a patron posts in a JSON body never reach the vendor (%s)', async (_case, payload) => {
    const before = upstream.requests.length;
    const response = await send('formy', json(payload));
    expect(response.status).toBe(200);
    const received = upstream.requests[before];
    expect(JSON.parse(received?.body.toString() ?? '')).toEqual({ q: 'dune' });
    expect(received?.all).not.toContain('forged');
    expect(received?.headers['content-length']).toBe(String(received?.body.length));
  });

  it('form delivery: a JSON body without identity keys leaves byte for byte', async () => {
    const before = upstream.requests.length;
    const payload = '{ "q" : "dune", "nested": {"sub": "a vendor field of its own"} }';
    const response = await send('formy', json(payload));
    expect(response.status).toBe(200);
    expect(upstream.requests[before]?.body.toString()).toBe(payload);
  });

  it('client-sent identity headers never reach the vendor, even when request.headers lists them', async () => {
    const before = upstream.requests.length;
    const response = await send('lax', { method: 'GET', headers: { 'x-library-assertion': 'forged-token', 'x-patron-sub': 'forged-sub' } });
    expect(response.status).toBe(200);
    const received = upstream.requests[before];
    expect(received?.headers['x-patron-sub']).toBeUndefined();
    expect(received?.headers['x-library-assertion']).not.toBe('forged-token');
    expect(received?.all).not.toContain('forged');
  });
});
