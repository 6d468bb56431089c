import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAssertionPem, startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const ADULT = { patronId: 'p-st1', barcode: '25000000000001', birthDate: '1980-05-05' };
const key = generateAssertionPem('shared-key');
let upstream: RecordingUpstream;
let first: Harness;
let second: Harness;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const options = {
    patrons: [{ record: ADULT, pin: '1111' }],
    assertionPems: [key],
    contracts: { ebooks: testContract('ebooks', upstream.url, 'identity: { delivery: jwt }\npreset: pseudonymous') },
  };
  first = await startGateway(options);
  second = await startGateway(options);
});
afterAll(async () => {
  await first.close();
  await second.close();
  await upstream.close();
});

describe('stateless nodes', () => {
  it('a session made by one gateway is accepted by another with the same settings, and both send the same pseudonym', async () => {
    const cookie = await first.login(ADULT.barcode, '1111');
    const before = upstream.requests.length;
    expect((await fetch(`${second.url}/v/ebooks/`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${first.url}/v/ebooks/`, { headers: { cookie } })).status).toBe(200);
    const [viaSecond, viaFirst] = upstream.requests.slice(before).map((r) => String(r.headers['authorization']).slice(7));
    const fromFirstJwks = await jwtVerify(viaSecond ?? '', createRemoteJWKSet(new URL(`${first.url}/.well-known/jwks.json`)), { audience: 'ebooks', currentDate: first.clock.now });
    const fromSecondJwks = await jwtVerify(viaFirst ?? '', createRemoteJWKSet(new URL(`${second.url}/.well-known/jwks.json`)), { audience: 'ebooks', currentDate: first.clock.now });
    expect(fromFirstJwks.payload.sub).toBe(fromSecondJwks.payload.sub);
  });
});
