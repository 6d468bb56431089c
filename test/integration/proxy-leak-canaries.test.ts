import { decodeJwt } from 'jose';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeys } from '../helpers/contracts.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/** A patron whose every field is a unique canary. */
const CANARY = {
  patronId: 'CANpid8841',
  barcode: 'CANBAR55017',
  firstName: 'Zelphira',
  lastName: 'Quonkwell',
  email: 'zq.canary@canary-mail.example',
  phone: '(555) 867-5309',
  address: { street: '42 Canaryvale Crescent', city: 'Canarytown', state: 'Canarystate', postalCode: '06880' },
  birthDate: '1979-03-17',
  patronType: 'canarytype',
  homeBranch: 'canarybranch',
  language: 'canarylang',
  consents: ['share-email-with-vendors'],
};
const PIN = '8642';
const DEMO_VENDORS = ['ebooks-demo', 'research-db-demo', 'streaming-demo'];
const CLIENT_IP = '203.0.113.77';

/** Every way a canary could show up, in the forms a leak would take. */
const CANARY_STRINGS = [
  CANARY.patronId,
  CANARY.barcode,
  CANARY.firstName,
  CANARY.lastName,
  CANARY.email,
  '5558675309',
  '555-867-5309',
  '867-5309',
  'Canaryvale',
  '1979-03-17',
  '06880',
  'canarytype',
  'canarybranch',
  'canarylang',
  CLIENT_IP,
  Buffer.from(CANARY.barcode).toString('base64').replace(/=+$/, ''),
  Buffer.from(CANARY.email).toString('base64').replace(/=+$/, ''),
];

function findCanaries(text: string): string[] {
  const lower = text.toLowerCase();
  return CANARY_STRINGS.filter((c) => lower.includes(c.toLowerCase()));
}

let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;
const keys = createTestKeys();

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const fields = `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }`;
  gateway = await startGateway({
    patrons: [{ record: CANARY, pin: PIN }],
    contracts: {
      'c-jwt': testContract('c-jwt', upstream.url, `identity: { delivery: jwt }\n${fields}\n  address.postalCode: { action: generalize, to: postalCode3 }\n  email: { action: pass, consent: share-email-with-vendors }\nrequest: { onPatronData: redact }`),
      'c-headers': testContract('c-headers', upstream.url, `identity: { delivery: headers }\n${fields}\nrequest: { onPatronData: redact, headers: [x-custom] }`),
      'c-query': testContract('c-query', upstream.url, `identity: { delivery: query }\n${fields}\n  email: { action: generalize, to: emailDomain }\nrequest: { onPatronData: redact }`),
      'c-form': testContract('c-form', upstream.url, `identity: { delivery: form }\n${fields}\n  address.city: { action: generalize, to: city }\nrequest: { onPatronData: redact }`),
      'c-none': testContract('c-none', upstream.url, 'identity: { delivery: none }\npreset: anonymous\nrequest: { onPatronData: block }'),
      // The shipped demo contracts, pointed at the recording upstream.
      ...Object.fromEntries(DEMO_VENDORS.map((id) => [id, readFileSync(`vendors/${id}.yaml`, 'utf8').replace(/url: http:\/\/127\.0\.0\.1:\d+/, `url: ${upstream.url}`)])),
    },
  });
  cookie = await gateway.login(CANARY.barcode, PIN);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

/** A request with canaries planted in every part a browser or script could put them. */
async function plantedRequest(vendor: string, kind: 'json' | 'form' | 'none') {
  const b64 = Buffer.from(CANARY.barcode).toString('base64');
  const path = `/v/${vendor}/books/${encodeURIComponent(CANARY.barcode)}/${encodeURIComponent(CANARY.email)}`;
  const query = new URLSearchParams({ q: `${CANARY.firstName} ${CANARY.lastName}`, phone: CANARY.phone, card: b64, dob: CANARY.birthDate, addr: CANARY.address.street });
  const headers: Record<string, string> = {
    cookie: `${cookie}; vc.other-vendor.track=${CANARY.barcode}; tracking=${encodeURIComponent(CANARY.email)}; vc.${vendor}.pref=${encodeURIComponent(CANARY.lastName)}`,
    referer: `${gateway.url}/account/${CANARY.barcode}`,
    'user-agent': `TestBrowser/1.0 (${CANARY.email})`,
    'x-custom': `${CANARY.phone}`,
    'x-forwarded-for': CLIENT_IP,
    'x-real-ip': CLIENT_IP,
    forwarded: `for=${CLIENT_IP}`,
    authorization: `Bearer ${CANARY.patronId}`,
    origin: gateway.url,
    accept: 'application/json',
  };
  let body: string | undefined;
  if (kind === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ name: `${CANARY.firstName} ${CANARY.lastName}`, card: CANARY.barcode, nested: { phone: '555.867.5309', born: CANARY.birthDate, list: [CANARY.email] } });
  } else if (kind === 'form') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ name: `${CANARY.firstName} ${CANARY.lastName}`, card: CANARY.barcode, phone: CANARY.phone }).toString();
  }
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}${path}?${query}`, { method: body ? 'POST' : 'GET', headers, ...(body ? { body } : {}) });
  const text = await response.text();
  return { response, text, received: upstream.requests.slice(before) };
}

describe('leak canaries: nothing about the patron leaves except in the form its contract allows', () => {
  it.each([
    ['c-jwt', 'json'],
    ['c-jwt', 'form'],
    ['c-headers', 'json'],
    ['c-headers', 'none'],
    ['c-query', 'none'],
    ['c-query', 'json'],
    ['c-form', 'form'],
    ['c-form', 'none'],
  ] as const)('%s with a %s body', async (vendor, kind) => {
    const { response, received } = await plantedRequest(vendor, kind);
    expect(response.status).toBe(200);
    expect(received).toHaveLength(1);
    const request = received[0];
    if (!request) throw new Error('nothing received');
    const sub = keys.pseudonymize(vendor, CANARY.patronId);
    let everythingElse = request.all;
    if (vendor === 'c-jwt') {
      const authorization = String(request.headers['authorization'] ?? '');
      expect(authorization).toMatch(/^Bearer /);
      const claims = decodeJwt(authorization.slice(7));
      expect(claims.sub).toBe(sub);
      expect({ ageBand: claims['ageBand'], postalCode3: claims['postalCode3'], email: claims['email'] }).toEqual({ ageBand: '18-64', postalCode3: '068', email: CANARY.email });
      everythingElse = everythingElse.replace(authorization, 'AUTHORIZATION');
    }
    if (vendor === 'c-headers') {
      expect(request.headers['x-patron-sub']).toBe(sub);
      expect(request.headers['x-patron-ageBand'.toLowerCase()]).toBe('18-64');
    }
    if (vendor === 'c-query') {
      const params = new URL(request.url, 'http://x').searchParams;
      expect(params.get('sub')).toBe(sub);
      expect(params.get('emailDomain')).toBe('canary-mail.example');
    }
    if (vendor === 'c-form' && kind === 'form') {
      const params = new URLSearchParams(request.body.toString());
      expect(params.get('sub')).toBe(sub);
      expect(params.get('city')).toBe('Canarytown');
    }
    expect(findCanaries(everythingElse)).toEqual([]);
    // The patron's values were replaced where they were typed, not silently kept.
    expect(everythingElse).toContain('[redacted]');
    // No header the gateway always removes reached the vendor.
    for (const name of ['x-forwarded-for', 'x-real-ip', 'forwarded', 'referer', 'via']) expect(request.headers[name]).toBeUndefined();
    expect(String(request.headers['cookie'] ?? '')).not.toMatch(/gw_session|gw_csrf|track/);
    expect(request.headers['origin']).toBe(upstream.url);
  });

  it.each(DEMO_VENDORS)('the shipped %s contract: only its vendor view leaves, or nothing when it blocks', async (vendor) => {
    const { response, received } = await plantedRequest(vendor, 'json');
    const contract = gateway.contracts.get(vendor);
    if (contract?.request.onPatronData === 'block') {
      expect(response.status).toBe(403);
      expect(received).toHaveLength(0);
      return;
    }
    expect(response.status).toBe(200);
    const request = received[0];
    const authorization = String(request?.headers['authorization'] ?? '');
    const rest = authorization ? (request?.all ?? '').replace(authorization, 'AUTHORIZATION') : (request?.all ?? '');
    expect(findCanaries(rest)).toEqual([]);
    if (authorization) {
      const claims = decodeJwt(authorization.slice(7));
      expect(findCanaries(JSON.stringify({ ...claims, email: undefined }))).toEqual([]);
      expect(claims['email']).toBe(CANARY.email); // released: the patron opted in
    }
  });

  it('a vendor that blocks on patron data gets nothing, and the patron gets a clear page', async () => {
    const { response, text, received } = await plantedRequest('c-none', 'json');
    expect(response.status).toBe(403);
    expect(received).toHaveLength(0);
    expect(JSON.parse(text)).toEqual({ error: 'patron_data_blocked', message: expect.stringMatching(/personal details/) });
    expect(findCanaries(text)).toEqual([]);
  });

  it('the anonymous vendor gets no identity at all on a clean request', async () => {
    const before = upstream.requests.length;
    const response = await fetch(`${gateway.url}/v/c-none/articles?topic=birds`, { headers: { cookie, accept: 'application/json' } });
    expect(response.status).toBe(200);
    const request = upstream.requests[before];
    expect(request?.url).toBe('/articles?topic=birds');
    expect(findCanaries(request?.all ?? '')).toEqual([]);
    expect(Object.keys(request?.headers ?? {}).filter((h) => h.startsWith('x-patron') || h === 'authorization')).toEqual([]);
  });

  it('no canary appears in the logs, in /metrics or in any error body', async () => {
    const errors = await Promise.all([
      fetch(`${gateway.url}/v/no-such/${CANARY.barcode}`, { headers: { cookie } }).then((r) => r.text()),
      fetch(`${gateway.url}/v/c-jwt/${CANARY.barcode}`, { headers: { accept: 'text/html' }, redirect: 'manual' }).then((r) => r.text()),
      fetch(`${gateway.url}/v/c-jwt/x`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: `{"card":"${CANARY.barcode}"` }).then((r) => r.text()),
      fetch(`${gateway.url}/v/c-none/${CANARY.email}`, { headers: { cookie, accept: 'text/html' } }).then((r) => r.text()),
    ]);
    for (const body of errors) expect(findCanaries(body)).toEqual([]);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_patron_data_caught_total\{vendor="c-jwt",location="path",decision="redacted",channel="http"\}/);
    expect(findCanaries(metrics)).toEqual([]);
    expect(findCanaries(gateway.logs.join('\n'))).toEqual([]);
    expect(gateway.logs.join('\n')).not.toMatch(/\/v\/|127\.0\.0\.1|pseudonym|sub/);
  });
});
