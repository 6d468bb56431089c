import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, SignJWT, UnsecuredJWT, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeys } from '../helpers/contracts.ts';
import { generateAssertionPem, startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const ADULT = { patronId: 'p-a1', barcode: '21000000000001', birthDate: '1980-05-05', email: 'adult@example.org', consents: [] };
const current = generateAssertionPem('key-2026-11');
const previous = generateAssertionPem('key-2026-05');
let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: ADULT, pin: '1111' }],
    assertionPems: [current, previous],
    contracts: {
      ebooks: testContract('ebooks', upstream.url, 'identity: { delivery: jwt, lifetimeSeconds: 120 }\npreset: pseudonymous\nfields: { birthDate: { action: generalize, to: ageBand } }'),
      other: testContract('other', upstream.url, 'identity: { delivery: jwt, header: X-Library-Assertion }\npreset: pseudonymous'),
    },
  });
  cookie = await gateway.login(ADULT.barcode, '1111');
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function assertionFor(vendor: string, header = 'authorization'): Promise<string> {
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}/v/${vendor}/`, { headers: { cookie } });
  expect(response.status).toBe(200);
  const value = String(upstream.requests[before]?.headers[header] ?? '');
  return value.startsWith('Bearer ') ? value.slice(7) : value;
}

describe('vendor assertions', () => {
  const jwks = () => createRemoteJWKSet(new URL(`${gateway.url}/.well-known/jwks.json`));

  it('are accepted by an independent verifier using the published JWKS', async () => {
    const token = await assertionFor('ebooks');
    const { payload, protectedHeader } = await jwtVerify(token, jwks(), { issuer: gateway.url, audience: 'ebooks', algorithms: ['ES256'], currentDate: gateway.clock.now });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'key-2026-11', typ: 'JWT' });
    expect(payload.sub).toBe(createTestKeys().pseudonymize('ebooks', ADULT.patronId));
    expect(payload['ageBand']).toBe('18-64');
    expect(payload['patronType']).toBeUndefined();
    expect(typeof payload.jti).toBe('string');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(120);
    expect(Object.keys(payload).sort()).toEqual(['ageBand', 'aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
  });

  it('go in the header the contract names', async () => {
    const token = await assertionFor('other', 'x-library-assertion');
    expect(decodeJwt(token).aud).toBe('other');
  });

  it('publish every configured key, so the previous key keeps verifying until it is removed', async () => {
    const body = (await (await fetch(`${gateway.url}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys.map((k) => k['kid'])).toEqual(['key-2026-11', 'key-2026-05']);
    for (const key of body.keys) expect(key).not.toHaveProperty('d');
    const oldToken = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'key-2026-05' }).setIssuer(gateway.url).setAudience('ebooks').setExpirationTime('5m').sign(await importPKCS8(previous.pem, 'ES256'));
    await expect(jwtVerify(oldToken, jwks(), { audience: 'ebooks' })).resolves.toBeTruthy();
  });

  it('are cached per patron and vendor until shortly before they expire', async () => {
    const first = await assertionFor('ebooks');
    expect(await assertionFor('ebooks')).toBe(first);
    gateway.clock.now = new Date(gateway.clock.now.getTime() + 100_000);
    const later = await assertionFor('ebooks');
    expect(later).not.toBe(first);
    gateway.clock.now = new Date('2026-11-29T12:00:00Z');
  });

  it.each([
    ['a tampered payload', async (t: string) => { const [h, p, s] = t.split('.'); const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()); claims.sub = 'someone-else'; return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`; }, errors.JWSSignatureVerificationFailed],
    ['a wrong audience', async (t: string) => t, errors.JWTClaimValidationFailed, { audience: 'other' }],
    ['an expired token', async (t: string) => t, errors.JWTExpired, { currentDate: new Date('2026-11-29T12:10:00Z') }],
    ['alg: none', async () => new UnsecuredJWT({ sub: 'x' }).setIssuer(gateway.url).setAudience('ebooks').encode(), errors.JOSEAlgNotAllowed],
    ['a token signed by a key not in the JWKS', async () => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'key-2026-11' }).setAudience('ebooks').sign(await importPKCS8(generateAssertionPem('x').pem, 'ES256')), errors.JWSSignatureVerificationFailed],
  ] as const)('are refused with %s', async (_name, mutate, errorClass, extra: Record<string, unknown> = {}) => {
    const token = await mutate(await assertionFor('ebooks'));
    await expect(jwtVerify(token, jwks(), { audience: 'ebooks', algorithms: ['ES256'], currentDate: gateway.clock.now, ...extra })).rejects.toBeInstanceOf(errorClass);
  });
});
