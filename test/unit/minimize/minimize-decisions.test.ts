import { describe, expect, it } from 'vitest';
import { minimize } from '../../../src/minimize/minimize.ts';
import type { Patron } from '../../../src/policy/patron.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from '../../helpers/contracts.ts';

/**
 * The minimizer's decisions in full. Each test compiles its own contract, so the minimizer's
 * per-contract plan is built inside the test (mutation testing then sees every decision made).
 */
const keys = createTestKeys();
const FIELDS = `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  email: { action: pass, consent: share-email-with-vendors }
  address.postalCode: { action: generalize, to: postalCode3 }
  phone: { action: drop }`;
const compile = (minors = 'minors: { under13: parental-consent, under18: anonymous }') => compileOrThrow(contractYaml({ fields: FIELDS, minors }));
const adult: Patron = {
  patronId: 'p-1',
  barcode: '29000000000001',
  email: 'ana@example.org',
  phone: '203-555-0101',
  address: { postalCode: 'SW1A 1AA' },
  birthDate: '1988-04-12',
  consents: ['share-email-with-vendors'],
};

describe('minimize decisions', () => {
  it('each decision carries its outcome, reason, action and (only when released) its name in the view', () => {
    const result = minimize(adult, compile(), keys, NOW);
    expect(result.decisions).toEqual([
      { field: 'patronId', outcome: 'pseudonymized', reason: 'released', action: 'pseudonymize', as: 'sub' },
      { field: 'barcode', outcome: 'withheld', reason: 'not-in-contract' },
      { field: 'email', outcome: 'passed', reason: 'released', action: 'pass', as: 'email', consent: 'share-email-with-vendors' },
      { field: 'phone', outcome: 'withheld', reason: 'dropped', action: 'drop' },
      { field: 'address.postalCode', outcome: 'withheld', reason: 'no-value-in-that-form', action: 'generalize', generalization: 'postalCode3' },
      { field: 'birthDate', outcome: 'generalized', reason: 'released', action: 'generalize', as: 'ageBand', generalization: 'ageBand' },
      { field: 'consents', outcome: 'withheld', reason: 'not-in-contract' },
    ]);
    expect(result).not.toHaveProperty('minorRule');
    expect(result).not.toHaveProperty('block');
  });

  it.each([
    ['a patron who opted out has the consent-gated field withheld for no consent', { ...adult, consents: [] }],
    ['a patron with no consents list at all has it withheld too (no list is no consent)', (({ consents: _c, ...rest }) => rest)(adult)],
  ])('%s', (_name, patron) => {
    const result = minimize(patron, compile(), keys, NOW);
    expect(result.view).not.toHaveProperty('email');
    expect(result.decisions.find((d) => d.field === 'email')).toEqual({ field: 'email', outcome: 'withheld_no_consent', reason: 'no-consent', action: 'pass', consent: 'share-email-with-vendors' });
  });

  it('a blocked minor gets one minor decision per field they have, and none for fields they lack', () => {
    const result = minimize({ patronId: 'p-2', email: 'kid@example.org', birthDate: '2018-01-01' }, compile(), keys, NOW);
    expect(result.access).toBe('blocked');
    expect(result.block).toBe('parental-consent-required');
    expect(result.view).toEqual({});
    expect(result.decisions).toEqual([
      { field: 'patronId', outcome: 'withheld_minor', reason: 'minor', action: 'pseudonymize' },
      { field: 'email', outcome: 'withheld_minor', reason: 'minor', action: 'pass', consent: 'share-email-with-vendors' },
      { field: 'birthDate', outcome: 'withheld_minor', reason: 'minor', action: 'generalize', generalization: 'ageBand' },
    ]);
    expect(result.minorRule).toEqual({ group: 'under13', policy: 'parental-consent', ageKnown: true });
  });

  it.each([
    ['a patron who turned 13 today is under 18, not under 13 (13 is not under 13)', '2013-11-29', { group: 'under18', policy: 'anonymous', ageKnown: true }, 'anonymous'],
    ['a patron who turns 13 tomorrow is still under 13', '2013-11-30', { group: 'under13', policy: 'block', ageKnown: true }, 'blocked'],
    ['a patron who turned 18 today is an adult (no minors rule)', '2008-11-29', undefined, 'identified'],
    ['a patron with an unparseable birth date is under 13 of unknown age', '2008-02-30', { group: 'under13', policy: 'block', ageKnown: false }, 'blocked'],
  ])('%s', (_name, birthDate, minorRule, access) => {
    const result = minimize({ patronId: 'p-3', birthDate }, compile('minors: { under13: block, under18: anonymous }'), keys, NOW);
    expect(result.access).toBe(access);
    if (minorRule === undefined) expect(result).not.toHaveProperty('minorRule');
    else expect(result.minorRule).toEqual(minorRule);
  });

  it('a teenager on a contract with only an under-13 rule is identified, with no minors rule recorded', () => {
    const result = minimize({ ...adult, birthDate: '2011-01-01' }, compile('minors: { under13: block }'), keys, NOW);
    expect(result.access).toBe('identified');
    expect(result).not.toHaveProperty('minorRule');
  });

  it('a child with parental consent is identified, and the minors rule that applied is recorded', () => {
    const result = minimize({ ...adult, birthDate: '2018-01-01', parentalConsent: true }, compile(), keys, NOW);
    expect(result.access).toBe('identified');
    expect(result.minorRule).toEqual({ group: 'under13', policy: 'parental-consent', ageKnown: true });
    expect(result.view).toHaveProperty('sub');
  });
});
