import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeys } from '../helpers/contracts.ts';
import { generateAssertionPem, startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

/**
 * Rotating the assertion key by kid, as a vendor sees it. Four gateways stand for the steps of the
 * README's procedure (same patrons and pseudonym secret):
 *   before:    assertionKeys [old]
 *   published: assertionKeys [old, new]   (new is published, old still signs)
 *   switched:  assertionKeys [new, old]   (new signs, old still published)
 *   after:     assertionKeys [new]
 * The vendor is jose, verifying with a JWKS it fetched over HTTP at one step and kept.
 */
const PATRON = { patronId: 'p-kid', barcode: '27700000000001', birthDate: '1980-05-05' };
const oldKey = generateAssertionPem('assert-2026-05');
const newKey = generateAssertionPem('assert-2026-11');
const steps = { before: [oldKey], published: [oldKey, newKey], switched: [newKey, oldKey], after: [newKey] } as const;
type Step = keyof typeof steps;

let upstream: RecordingUpstream;
const gateways = new Map<Step, Harness>();
const assertions = new Map<Step, string>();
const jwks = new Map<Step, JSONWebKeySet>();

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  for (const [step, pems] of Object.entries(steps) as Array<[Step, ReadonlyArray<{ kid: string; pem: string }>]>) {
    const gateway = await startGateway({
      patrons: [{ record: PATRON, pin: '7001' }],
      assertionPems: pems,
      contracts: { ebooks: testContract('ebooks', upstream.url, 'identity: { delivery: jwt, lifetimeSeconds: 300 }\npreset: pseudonymous') },
    });
    gateways.set(step, gateway);
    const cookie = await gateway.login(PATRON.barcode, '7001');
    const count = upstream.requests.length;
    const response = await fetch(`${gateway.url}/v/ebooks/`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const header = String(upstream.requests[count]?.headers['authorization'] ?? '');
    expect(header).toMatch(/^Bearer /);
    assertions.set(step, header.slice(7));
    jwks.set(step, (await (await fetch(`${gateway.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
  }
});
afterAll(async () => {
  await Promise.all([...gateways.values()].map((gateway) => gateway.close()));
  await upstream.close();
});

/** The `sub` a vendor reads from the assertion signed at one step, verifying with the JWKS of another; undefined when it refuses it. */
async function vendorReads(signedAt: Step, jwksFrom: Step): Promise<string | undefined> {
  const gateway = gateways.get(signedAt);
  const token = assertions.get(signedAt);
  const set = jwks.get(jwksFrom);
  if (!gateway || !token || !set) throw new Error(`step ${signedAt} or ${jwksFrom} did not run`);
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(set), { issuer: gateway.url, audience: 'ebooks', algorithms: ['ES256'], currentDate: gateway.clock.now });
    return payload.sub;
  } catch {
    return undefined;
  }
}

describe('assertion key rotation by kid, verified by a vendor with jose', () => {
  it.each([
    ['before', 'assert-2026-05'],
    ['published', 'assert-2026-05'],
    ['switched', 'assert-2026-11'],
    ['after', 'assert-2026-11'],
  ] as Array<[Step, string]>)('at step %s the first key signs (kid %s)', (step, kid) => {
    expect(decodeProtectedHeader(assertions.get(step) ?? '').kid).toBe(kid);
  });

  it.each([
    ['a vendor that fetched the JWKS at "published" accepts assertions signed before the new key came first', 'before', 'published', true],
    ['... and after it came first, without fetching again', 'switched', 'published', true],
    ['the JWKS at "switched" verifies both keys\' assertions (the old key keeps verifying until removed)', 'before', 'switched', true],
    ['... and the new key\'s', 'switched', 'switched', true],
    ['a vendor still holding the JWKS from before the new key was published refuses the new key\'s assertions: publish first, wait, then switch', 'switched', 'before', false],
    ['once the old key is removed, an assertion it signed no longer verifies', 'before', 'after', false],
    ['after removal the new key\'s assertions verify', 'after', 'after', true],
  ] as Array<[string, Step, Step, boolean]>)('%s', async (_name, signedAt, jwksFrom, accepted) => {
    expect(await vendorReads(signedAt, jwksFrom)).toBe(accepted ? createTestKeys().pseudonymize('ebooks', PATRON.patronId) : undefined);
  });
});
