import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import { createAssertionSigner } from '../../../../../src/channels/proxy/deliver-identity/assertion-signer.ts';
import { createDeliverIdentityStage, defaultIdentityHeader } from '../../../../../src/channels/proxy/deliver-identity/deliver-identity-stage.ts';
import { minimize } from '../../../../../src/minimize/minimize.ts';
import type { Patron } from '../../../../../src/policy/patron.ts';
import { importAssertionKeys } from '../../../../../src/settings/assertion-keys.ts';
import { createTestKeys, NOW } from '../../../../helpers/contracts.ts';
import { ADULT, compileVendor, makeContext, makeRequest, outcomeOf, runStage, type RequestOptions } from '../stage-fixtures.ts';

const ISSUER = 'https://library.example';
const keys = createTestKeys();
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = createAssertionSigner({ issuer: ISSUER, keys: await importAssertionKeys([{ kid: 'k1', alg: 'ES256', pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }]) });
const verifyKey = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'ES256');
const stage = createDeliverIdentityStage({ signer });

const FIELDS = `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  consents: { action: pass, as: optIns }
  phone: { action: pass, consent: share-phone }`;
const jwt = compileVendor('jwt-vendor', { fields: FIELDS, identity: 'identity: { delivery: jwt }' });
const jwtCustom = compileVendor('jwt-custom', { fields: FIELDS, identity: 'identity: { delivery: jwt, header: X-Library-Assertion }' });
const headers = compileVendor('header-vendor', { fields: FIELDS, identity: 'identity: { delivery: headers, names: { sub: X-Reader-Id } }' });
const query = compileVendor('query-vendor', { fields: FIELDS, identity: 'identity: { delivery: query, names: { sub: uid } }' });
const form = compileVendor('form-vendor', { fields: FIELDS, identity: 'identity: { delivery: form }' });
const none = compileVendor('none-vendor', { fields: '', identity: 'identity: { delivery: none }' });

const teen: Patron = { patronId: 'p-3003', birthDate: '2011-02-01' };
const anonymousContract = (base: CompiledContract): CompiledContract => ({ ...base, minors: { under13: 'block', under18: 'anonymous' } });

/** A context as the gate leaves it: patron, contract and the minimizer's result. */
function deliverContext(contract: CompiledContract, options: { patron?: Patron; request?: RequestOptions; query?: string; headers?: Record<string, string>; body?: string } = {}) {
  const patron = options.patron ?? ADULT;
  const context = makeContext({ contract, patron, req: makeRequest(options.request), query: options.query ?? '' });
  context.result = minimize(patron, contract, keys, NOW);
  context.headers = { ...(options.headers ?? {}) };
  if (options.body !== undefined) context.body = Buffer.from(options.body);
  return context;
}

const sub = (contract: CompiledContract): string => keys.pseudonymize(contract.id, ADULT.patronId);

describe('deliver identity stage', () => {
  it('jwt: a Bearer assertion in Authorization carries the view, signed for this vendor', async () => {
    const context = deliverContext(jwt, { headers: { accept: 'text/html', authorization: 'Bearer forged' } });
    await runStage(stage, context);
    const value = String(context.headers['authorization']);
    expect(value.startsWith('Bearer ')).toBe(true);
    const { payload } = await jwtVerify(value.slice('Bearer '.length), verifyKey, { issuer: ISSUER, audience: 'jwt-vendor', currentDate: NOW });
    expect(payload).toMatchObject({ sub: sub(jwt), ageBand: '18-64', optIns: ['share-email-with-vendors'] });
    expect(payload).not.toHaveProperty('phone');
    expect(context.headers['accept']).toBe('text/html');
  });

  it('jwt with a custom header: the bare token, no Bearer prefix (only Authorization takes one)', async () => {
    const context = deliverContext(jwtCustom, { headers: { 'x-library-assertion': 'forged' } });
    await runStage(stage, context);
    const token = String(context.headers['x-library-assertion']);
    expect((await jwtVerify(token, verifyKey, { audience: 'jwt-custom', currentDate: NOW })).payload.sub).toBe(sub(jwtCustom));
    expect(context.headers).not.toHaveProperty('authorization');
  });

  it.each([
    ['jwt', anonymousContract(jwt), 'authorization'],
    ['headers', anonymousContract(headers), 'x-reader-id'],
  ])('%s: an anonymous patron gets no identity, and a forged one is removed (minors rule anonymous)', async (_name, contract, header) => {
    const context = deliverContext(contract, { patron: teen, headers: { [header]: 'forged' } });
    expect(context.result?.access).toBe('anonymous');
    await runStage(stage, context);
    expect(context.headers).toEqual({});
  });

  it('headers: one header per view value, renamed where the contract says, lists comma-joined', async () => {
    const context = deliverContext(headers, { headers: { 'x-patron-ageband': 'forged' } });
    await runStage(stage, context);
    expect(context.headers).toEqual({ 'x-reader-id': sub(headers), 'x-patron-ageband': '18-64', 'x-patron-optins': 'share-email-with-vendors' });
  });

  it('headers: a contract header a client sent for a withheld field is removed (a patron cannot forge a release)', async () => {
    const context = deliverContext(headers, { headers: { 'x-patron-phone': '555-0000', 'x-reader-id': 'someone-else' } });
    await runStage(stage, context);
    expect(context.headers).not.toHaveProperty('x-patron-phone');
    expect(context.headers['x-reader-id']).toBe(sub(headers));
  });

  it('query: view values are appended as parameters and same-named client parameters replaced', async () => {
    const context = deliverContext(query, { query: 'q=dune&uid=forged&phone=1&ageBand=99' });
    await runStage(stage, context);
    const params = new URLSearchParams(context.query);
    expect([...params]).toEqual([
      ['q', 'dune'],
      ['uid', sub(query)],
      ['ageBand', '18-64'],
      ['optIns', 'share-email-with-vendors'],
    ]);
  });

  describe('form', () => {
    const formPost = (body: string | undefined, type = 'application/x-www-form-urlencoded'): RequestOptions => ({
      method: 'POST',
      headers: body === undefined ? { 'content-type': type } : { 'content-type': type, 'content-length': String(body.length) },
    });

    it('a read urlencoded POST body gets the view fields, forged ones replaced, length updated', async () => {
      const context = deliverContext(form, { request: formPost('title=dune&sub=forged'), body: 'title=dune&sub=forged' });
      await runStage(stage, context);
      const expected = `title=dune&sub=${sub(form)}&ageBand=18-64&optIns=share-email-with-vendors`;
      expect(context.body?.toString()).toBe(expected);
      expect(context.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(expected.length) });
    });

    it('a POST without a body gets a form body of the view alone (the vendor expects its fields)', async () => {
      const context = deliverContext(form, { request: { method: 'POST', headers: {} } });
      await runStage(stage, context);
      expect(context.body?.toString()).toBe(`sub=${sub(form)}&ageBand=18-64&optIns=share-email-with-vendors`);
    });

    it('a form content type in another letter case is still a form (media types are case-insensitive)', async () => {
      const context = deliverContext(form, { request: formPost('a=1', 'Application/X-WWW-Form-Urlencoded'), body: 'a=1' });
      await runStage(stage, context);
      expect(context.body?.toString()).toBe(`a=1&sub=${sub(form)}&ageBand=18-64&optIns=share-email-with-vendors`);
    });

    it('a POST declaring an empty body gets a form body of the view (nothing streams)', async () => {
      const context = deliverContext(form, { request: { method: 'POST', headers: { 'content-length': '0' } } });
      await runStage(stage, context);
      expect(context.body?.toString()).toBe(`sub=${sub(form)}&ageBand=18-64&optIns=share-email-with-vendors`);
    });

    it.each([
      ['a GET is left alone (form delivery only adds to POST bodies)', { method: 'GET' }, undefined],
      ['a JSON POST body is left alone (it is not a form)', formPost('{"a":1}', 'application/json'), '{"a":1}'],
      ['a POST body that streams unread is left alone (it cannot be edited)', formPost('0123456789', 'application/octet-stream'), undefined],
    ])('%s', async (_name, request, body) => {
      const context = deliverContext(form, { request, ...(body === undefined ? {} : { body }) });
      await runStage(stage, context);
      expect(context.body?.toString()).toBe(body);
      expect(context.headers).toEqual({});
    });
  });

  describe('a client never sends identity headers of its own, whatever the delivery and the header allowlist', () => {
    it.each([
      ['none: a forged X-Patron-Sub (no delivery at all, so nothing may claim to be one)', none, ADULT, 'x-patron-sub'],
      ['none: any X-Patron-* header, named by no rule', none, ADULT, 'x-patron-card'],
      ['jwt with a custom header: a forged one for an anonymous patron (no token replaces it)', anonymousContract(jwtCustom), teen, 'x-library-assertion'],
      ['jwt: a forged X-Patron-* header beside the token', jwt, ADULT, 'x-patron-sub'],
      ['headers: a forged default header of a withheld field', headers, ADULT, 'x-patron-phone'],
      ['headers: a forged X-Patron-* header named by no rule', headers, ADULT, 'x-patron-barcode'],
      ['query: a forged X-Patron-Sub header', query, ADULT, 'x-patron-sub'],
      ['form: a forged X-Patron-Sub header', form, ADULT, 'x-patron-sub'],
    ] as const)('%s', async (_name, contract, patron, header) => {
      const context = deliverContext(contract, { patron, headers: { [header]: 'forged', accept: '*/*' } });
      await runStage(stage, context);
      expect(context.headers[header]).not.toBe('forged');
      expect(context.headers['accept']).toBe('*/*');
    });
  });

  it('none: nothing is added (the contract releases nothing)', async () => {
    const context = deliverContext(none, { query: 'q=1', headers: { accept: '*/*' } });
    await runStage(stage, context);
    expect(context.headers).toEqual({ accept: '*/*' });
    expect(context.query).toBe('q=1');
  });

  it('the default header name capitalises the view name (sub -> X-Patron-Sub)', () => {
    expect(defaultIdentityHeader('sub')).toBe('X-Patron-Sub');
    expect(defaultIdentityHeader('ageBand')).toBe('X-Patron-AgeBand');
  });

  it('running before the gate (no result) is an internal error, never an unidentified pass', async () => {
    expect(await outcomeOf(stage, makeContext({ contract: jwt, patron: ADULT }))).toBe('internal');
  });
});
