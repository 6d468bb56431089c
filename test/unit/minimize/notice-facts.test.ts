import { describe, expect, it } from 'vitest';
import { computeNoticeFacts, listContractConsents } from '../../../src/minimize/notice-facts.ts';
import type { Patron } from '../../../src/policy/patron.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from '../../helpers/contracts.ts';

const keys = createTestKeys();
const contract = compileOrThrow(
  contractYaml({
    fields: `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  address.postalCode: { action: generalize, to: postalCode3 }
  email: { action: pass, consent: share-email-with-vendors }
  phone: { action: pass, consent: share-phone }
  homeBranch: { action: pass, consent: share-email-with-vendors }
  barcode: { action: drop }`,
  }),
);
const adult: Patron = {
  patronId: 'p-1',
  barcode: '29000000000001',
  email: 'ana@example.org',
  address: { postalCode: 'SW1A 1AA' },
  birthDate: '1988-04-12',
  homeBranch: 'central',
  // Standing opt-ins do not change what the notice says: the notice asks.
  consents: ['share-phone'],
};

describe('listContractConsents', () => {
  it('lists each consent a rule names once, in rule order', () => {
    expect(listContractConsents(contract)).toEqual(['share-email-with-vendors', 'share-phone']);
  });

  it('a contract without consent-gated rules has none', () => {
    expect(listContractConsents(compileOrThrow(contractYaml()))).toEqual([]);
  });
});

describe('computeNoticeFacts', () => {
  // Computed inside each test (not when the file loads), so mutation testing sees every test use it.
  const factsOf = () => computeNoticeFacts(adult, contract, keys, NOW);

  it('what is sent whatever the patron chooses: the pseudonym and generalizations, with the patron\'s own values', () => {
    const facts = factsOf();
    expect(facts.access).toBe('identified');
    expect(facts).not.toHaveProperty('block');
    expect(facts.receives).toEqual([
      { field: 'patronId', as: 'sub', kind: 'pseudonym', value: keys.pseudonymize('test-vendor', 'p-1') },
      { field: 'birthDate', as: 'ageBand', kind: 'generalized', generalization: 'ageBand', value: '18-64' },
    ]);
  });

  it('what is sent only with a consent names the consent, whatever the record\'s standing opt-ins', () => {
    const facts = factsOf();
    expect(facts.optional).toEqual([
      { field: 'email', as: 'email', kind: 'passed', value: 'ana@example.org', consent: 'share-email-with-vendors' },
      { field: 'homeBranch', as: 'homeBranch', kind: 'passed', value: 'central', consent: 'share-email-with-vendors' },
    ]);
  });

  it('what the vendor never gets: dropped, outside the contract, or with no value in that form (never claimed as sent)', () => {
    const facts = factsOf();
    expect(facts.notReceived).toEqual(['barcode', 'address.postalCode', 'consents']);
  });

  it('a field the patron lacks is in no list (the notice speaks of this patron)', () => {
    const facts = factsOf();
    const all = [...facts.receives.map((f) => f.field), ...facts.optional.map((f) => f.field), ...facts.notReceived];
    expect(all).not.toContain('phone');
  });

  it.each([
    ['a child under a parental-consent rule is blocked and receives nothing', { ...adult, birthDate: '2018-01-01' }, 'blocked', 'parental-consent-required'],
    ['a patron of unknown age is treated as under 13', { patronId: 'p-2' }, 'blocked', 'parental-consent-required'],
  ])('%s', (_name, patron, access, block) => {
    const minor = computeNoticeFacts(patron, contract, keys, NOW);
    expect(minor).toMatchObject({ access, block, receives: [], optional: [] });
    expect(minor.notReceived.length).toBeGreaterThan(0);
  });

  it('the notice never claims less than what is sent: every released value with all consents is listed', () => {
    const facts = factsOf();
    const listed = new Map([...facts.receives, ...facts.optional].map((f) => [f.as, f.value]));
    expect(Object.fromEntries(listed)).toEqual({ sub: keys.pseudonymize('test-vendor', 'p-1'), ageBand: '18-64', email: 'ana@example.org', homeBranch: 'central' });
  });
});
