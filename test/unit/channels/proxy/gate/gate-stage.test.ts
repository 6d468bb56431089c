import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import { createGateStage } from '../../../../../src/channels/proxy/gate/gate-stage.ts';
import { createAcknowledgementStore, type Acknowledgements } from '../../../../../src/notices/acknowledgements.ts';
import { createNoticeGate } from '../../../../../src/notices/notice-gate.ts';
import { createRememberedMinimizer } from '../../../../../src/minimize/remember-results.ts';
import type { Patron } from '../../../../../src/policy/patron.ts';
import { createTestKeys, NOW } from '../../../../helpers/contracts.ts';
import { ADULT, CHILD, compileVendor, makeContext, makeRequest, outcomeOf, runStageError } from '../stage-fixtures.ts';

const ORIGIN = 'https://library.example';
const keys = createTestKeys();
const FIELDS = `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  email: { action: pass, consent: share-email-with-vendors }`;
const ebooks = compileVendor('ebooks', { fields: FIELDS, minors: 'minors: { under13: parental-consent, under18: anonymous }' });
const strict = compileVendor('strict', { fields: FIELDS, minors: 'minors: { under13: block }' });

const store = createAcknowledgementStore({ key: Buffer.alloc(32, 3) });
const noticeGate = createNoticeGate({ store });
// A fresh remembering minimizer per stage: each test's patron and consents are its own.
const withNotices = createGateStage({ minimizer: createRememberedMinimizer({ pseudonyms: keys, max: 100 }), publicOrigin: ORIGIN, noticeGate });
const recordOnly = createGateStage({ minimizer: createRememberedMinimizer({ pseudonyms: keys, max: 100 }), publicOrigin: ORIGIN });

/** The Cookie header a browser sends after accepting these notices (the store's real cookie). */
async function noticeCookie(patronId: string, acks: Acknowledgements): Promise<string> {
  return (await store.write(patronId, acks, false)).split(';')[0] ?? '';
}

function gateContext(patron: Patron, contract: CompiledContract, options: { cookie?: string; url?: string; referer?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie !== undefined) headers['cookie'] = options.cookie;
  if (options.referer !== undefined) headers['referer'] = options.referer;
  return makeContext({ patron, contract, req: makeRequest({ url: options.url ?? `/v/${contract.id}/shelf`, headers }) });
}

const teen: Patron = { patronId: 'p-3003', birthDate: '2011-02-01', email: 'teen@example.org', consents: ['share-email-with-vendors'] };

describe('gate stage without a notice gate (the record\'s consents apply)', () => {
  it('an adult who opted in gets the contract\'s view, consent-gated fields included', async () => {
    const context = gateContext(ADULT, ebooks);
    expect(await outcomeOf(recordOnly, context)).toBe('ok');
    expect(context.result?.access).toBe('identified');
    expect(context.result?.view).toEqual({ sub: keys.pseudonymize('ebooks', ADULT.patronId), ageBand: '18-64', email: ADULT.email });
  });

  it('an adult who did not opt in gets the view without the consent-gated field', async () => {
    const context = gateContext({ ...ADULT, consents: [] }, ebooks);
    expect(await outcomeOf(recordOnly, context)).toBe('ok');
    expect(context.result?.view).not.toHaveProperty('email');
    expect(context.result?.decisions.find((d) => d.field === 'email')?.outcome).toBe('withheld_no_consent');
  });

  it.each([
    ['a child without parental consent is refused (the contract asks for it under 13)', CHILD, ebooks, 'parental_consent_required'],
    ['a patron with no birth date is refused like a child (unknown age never means adult)', { patronId: 'p-4004', email: 'x@example.org' }, ebooks, 'parental_consent_required'],
    ['a child is refused outright where the contract blocks under-13s (consent does not help)', { ...CHILD, parentalConsent: true }, strict, 'minor_blocked'],
    ['a child with parental consent goes through (the contract\'s condition is met)', { ...CHILD, parentalConsent: true }, ebooks, 'ok'],
    ['a teenager goes through anonymously (under18: anonymous)', teen, ebooks, 'ok'],
    ['a teenager goes through identified where the contract has no under-18 rule', teen, strict, 'ok'],
  ] as const)('%s', async (_name, patron, contract, expected) => {
    const context = gateContext(patron, contract);
    expect(await outcomeOf(recordOnly, context)).toBe(expected);
    // The gate always leaves the minimizer's result for the stages after it (and the record stage).
    expect(context.result).toBeDefined();
    if (expected !== 'ok') expect(context.result?.access).toBe('blocked');
  });

  it('a refused minor gets 403 naming the vendor by its display name', async () => {
    const error = await runStageError(recordOnly, gateContext(CHILD, strict));
    expect(error).toMatchObject({ code: 'minor_blocked', status: 403, outcome: 'blocked_minor', vendorName: 'Test Vendor', detail: 'strict' });
  });

  it('an anonymous teenager is released nothing (the view is empty)', async () => {
    const context = gateContext(teen, ebooks);
    await outcomeOf(recordOnly, context);
    expect(context.result).toMatchObject({ access: 'anonymous', view: {} });
  });

  it.each([
    ['no patron', { contract: ebooks }],
    ['no contract', { patron: ADULT }],
  ])('running before identify and match (%s) is an internal error, not a pass', async (_name, options) => {
    const context = makeContext(options);
    expect(await outcomeOf(recordOnly, context)).toBe('internal');
    expect(context.result).toBeUndefined();
  });
});

describe('gate stage with the notice gate (the notice\'s consents apply)', () => {
  const current = (consents: string[]): Acknowledgements => ({ ebooks: { version: ebooks.noticeVersion, consents, at: 0 } });

  it.each([
    ['no acknowledgement cookie needs the notice (never accepted)', undefined],
    ['an acknowledgement of an older version needs the notice (what is shared changed)', { ebooks: { version: 'v0-old', consents: [], at: 0 } }],
    ['an acknowledgement of another vendor\'s notice needs this one (notices are per vendor)', { strict: { version: strict.noticeVersion, consents: [], at: 0 } }],
  ])('%s', async (_name, acks) => {
    const cookie = acks === undefined ? undefined : await noticeCookie(ADULT.patronId, acks);
    const context = gateContext(ADULT, ebooks, { url: '/v/ebooks/shelf?page=2', ...(cookie ? { cookie } : {}) });
    const error = await runStageError(withNotices, context);
    expect(error).toMatchObject({ code: 'notice_required', status: 428, notice: '/notices/ebooks' });
    expect(error.redirectTo).toBe('/notices/ebooks?next=%2Fv%2Febooks%2Fshelf%3Fpage%3D2&back=%2F');
    // Until the notice is accepted nothing consent-gated is released, whatever the record says.
    expect(context.result?.view).not.toHaveProperty('email');
  });

  it('an acknowledgement made for another patron does not count (the cookie is bound to its patron)', async () => {
    const cookie = await noticeCookie('p-someone-else', current(['share-email-with-vendors']));
    expect(await outcomeOf(withNotices, gateContext(ADULT, ebooks, { cookie }))).toBe('notice_required');
  });

  it.each([
    ['consents chosen on the notice release the gated field, though the record has none (the notice decides)', { ...ADULT, consents: [] }, ['share-email-with-vendors'], true],
    ['a consent declined on the notice withholds the field, though the record opted in (the notice decides)', ADULT, [], false],
  ])('%s', async (_name, patron, consents, released) => {
    const context = gateContext(patron, ebooks, { cookie: await noticeCookie(ADULT.patronId, current(consents)) });
    expect(await outcomeOf(withNotices, context)).toBe('ok');
    expect(Object.hasOwn(context.result?.view ?? {}, 'email')).toBe(released);
  });

  it('a minor is refused before the notice is asked for (no notice can make them eligible)', async () => {
    expect(await outcomeOf(withNotices, gateContext(CHILD, ebooks))).toBe('parental_consent_required');
  });

  it.each([
    ['a referer on the gateway is where "back" goes (the patron returns to that page)', `${ORIGIN}/sharing?tab=2`, '%2Fsharing%3Ftab%3D2'],
    ['a referer elsewhere goes back home (never to another site)', 'https://vendor.example/page', '%2F'],
    ['a referer on a look-alike host goes back home (the origin must match exactly)', `${ORIGIN}.evil.example/x`, '%2F'],
    ['a referer that is a protocol-relative trick goes back home (it would leave the gateway)', `${ORIGIN}//evil.example/x`, '%2F'],
  ])('%s', async (_name, referer, back) => {
    const error = await runStageError(withNotices, gateContext(ADULT, ebooks, { url: '/v/ebooks/', referer }));
    expect(error.redirectTo).toBe(`/notices/ebooks?next=%2Fv%2Febooks%2F&back=${back}`);
  });
});
