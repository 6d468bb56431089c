import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * The browser's HTTP cache must not link patrons: a vendor can make every ETag (or Last-Modified
 * date) unique, and the browser replays it as a validator whoever is signed in later. Over real
 * HTTP: what patron A was given reaches the vendor again only while A is signed in.
 */
const ANA = { patronId: 'p-v-ana', barcode: '27200000000001', birthDate: '1980-01-01' };
const BEA = { patronId: 'p-v-bea', barcode: '27200000000002', birthDate: '1981-01-01' };
/** A canary ETag the vendor mints for Ana alone. */
const CANARY = 'ana-only-7f3e1c';

let upstream: RecordingUpstream;
let gateway: Harness;
let ana: string;
let bea: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  upstream.respond((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: `W/"${CANARY}"`, 'Last-Modified': 'Tue, 03 Nov 2026 10:00:07 GMT', 'Cache-Control': 'max-age=0' });
    res.end('{"page":1}');
  });
  gateway = await startGateway({
    patrons: [
      { record: ANA, pin: '1111' },
      { record: BEA, pin: '2222' },
    ],
    contracts: { cv: testContract('cv', upstream.url, 'identity: { delivery: none }'), other: testContract('other', upstream.url, 'identity: { delivery: none }') },
  });
  ana = await gateway.login(ANA.barcode, '1111');
  bea = await gateway.login(BEA.barcode, '2222');
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function send(vendor: string, cookie: string, headers: Record<string, string>): Promise<Record<string, string | string[] | undefined>> {
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}/v/${vendor}/shelf`, { headers: { cookie, ...headers } });
  await response.arrayBuffer();
  expect(upstream.requests.length).toBe(before + 1);
  return upstream.requests[before]?.headers ?? {};
}

describe('cache validators are bound to the patron they were given to', () => {
  let etag = '';
  beforeAll(async () => {
    const response = await fetch(`${gateway.url}/v/cv/shelf`, { headers: { cookie: ana } });
    etag = response.headers.get('etag') ?? '';
  });

  it('the browser gets the vendor\'s ETag with a tag of the patron inside, and no Last-Modified', async () => {
    expect(etag).toMatch(new RegExp(`^W/"[A-Za-z0-9_-]{8}\\.${CANARY}"$`));
    const response = await fetch(`${gateway.url}/v/cv/shelf`, { headers: { cookie: ana } });
    expect(response.headers.get('last-modified')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('private, max-age=0');
  });

  it('sent back by the same patron, the vendor receives its own ETag, untagged (revalidation still works)', async () => {
    expect((await send('cv', ana, { 'if-none-match': etag }))['if-none-match']).toBe(`W/"${CANARY}"`);
  });

  it.each([
    ['If-None-Match', { 'if-none-match': '' }],
    ['If-Match', { 'if-match': '' }],
    ['If-Range (with Range)', { 'if-range': '', range: 'bytes=0-3' }],
  ])('sent back as %s under another patron\'s session, the canary never reaches the vendor', async (_name, template) => {
    const headers = Object.fromEntries(Object.entries(template).map(([k, v]) => [k, v === '' ? etag : v]));
    const received = await send('cv', bea, headers);
    expect(JSON.stringify(received)).not.toContain(CANARY);
    expect(received['range']).toBeUndefined();
  });

  it('after every cookie is cleared and another patron signs in, the cached ETag does not reach the vendor', async () => {
    const fresh = await gateway.login(BEA.barcode, '2222');
    const received = await send('cv', fresh, { 'if-none-match': etag });
    expect(received['if-none-match']).toBeUndefined();
  });

  it('the same patron\'s ETag from one vendor does not reach another vendor', async () => {
    const received = await send('other', ana, { 'if-none-match': etag });
    expect(received['if-none-match']).toBeUndefined();
  });

  it('If-Modified-Since never reaches the vendor (a per-patron date is an identifier too)', async () => {
    const received = await send('cv', bea, { 'if-modified-since': 'Tue, 03 Nov 2026 10:00:07 GMT' });
    expect(received['if-modified-since']).toBeUndefined();
  });

  it('the patron\'s tag is no identifier of its own: it differs per vendor and says nothing of the patron id', async () => {
    const other = (await fetch(`${gateway.url}/v/other/shelf`, { headers: { cookie: ana } })).headers.get('etag') ?? '';
    expect(other).not.toBe(etag);
    expect(etag).not.toContain(ANA.patronId);
    expect(gateway.logs.join('\n')).not.toContain(CANARY);
  });
});
