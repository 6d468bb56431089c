import { describe, expect, it } from 'vitest';
import type { Patron } from '../../../src/policy/patron.ts';
import { minimize, type FieldOutcome } from '../../../src/minimize/minimize.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from '../../helpers/contracts.ts';

const keys = createTestKeys();

const adult: Patron = {
  patronId: 'p-1',
  barcode: '29000000000001',
  firstName: 'Ana',
  lastName: 'Reader',
  email: 'ana@example.org',
  phone: '203-555-0101',
  address: { street: '1 Main St', city: 'Westport', state: 'CT', postalCode: '06880' },
  birthDate: '1988-04-12',
  patronType: 'adult',
  consents: ['share-email-with-vendors'],
};

const ebooks = compileOrThrow(
  contractYaml({
    fields: `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  address.postalCode: { action: generalize, to: postalCode3 }
  email: { action: pass, consent: share-email-with-vendors }
  phone: { action: drop }`,
    minors: 'minors: { under13: parental-consent, under18: anonymous }',
  }),
);

function outcomes(patron: Patron, contract = ebooks): Record<string, FieldOutcome> {
  return Object.fromEntries(minimize(patron, contract, keys, NOW).decisions.map((d) => [d.field, d.outcome]));
}

describe('minimize', () => {
  it('releases exactly the contract view for a consenting adult', () => {
    const result = minimize(adult, ebooks, keys, NOW);
    expect(result.access).toBe('identified');
    expect(result.view).toEqual({ sub: keys.pseudonymize('test-vendor', 'p-1'), ageBand: '18-64', postalCode3: '068', email: 'ana@example.org' });
    expect(outcomes(adult)).toEqual({
      patronId: 'pseudonymized',
      barcode: 'withheld',
      firstName: 'withheld',
      lastName: 'withheld',
      email: 'passed',
      phone: 'withheld',
      'address.street': 'withheld',
      'address.city': 'withheld',
      'address.state': 'withheld',
      'address.postalCode': 'generalized',
      birthDate: 'generalized',
      patronType: 'withheld',
      consents: 'withheld',
    });
  });

  it('withholds a consent-gated field when the patron has not opted in, and says why', () => {
    const result = minimize({ ...adult, consents: [] }, ebooks, keys, NOW);
    expect(result.view).not.toHaveProperty('email');
    expect(result.decisions.find((d) => d.field === 'email')).toMatchObject({ outcome: 'withheld_no_consent', consent: 'share-email-with-vendors' });
  });

  it('records an explicit drop as withheld with reason dropped', () => {
    expect(minimize(adult, ebooks, keys, NOW).decisions.find((d) => d.field === 'phone')).toMatchObject({ outcome: 'withheld', reason: 'dropped' });
  });

  it('withholds a generalization with nothing to give (a non-US postal code)', () => {
    const result = minimize({ ...adult, address: { postalCode: 'SW1A 1AA' } }, ebooks, keys, NOW);
    expect(result.view).not.toHaveProperty('postalCode3');
    expect(result.decisions.find((d) => d.field === 'address.postalCode')).toMatchObject({ outcome: 'withheld', reason: 'no-value-in-that-form' });
  });

  it('lists decisions only for fields the patron has', () => {
    expect(minimize({ patronId: 'p-9', birthDate: '1980-01-01' }, ebooks, keys, NOW).decisions.map((d) => d.field)).toEqual(['patronId', 'birthDate']);
  });

  describe('minors', () => {
    const child = { ...adult, birthDate: '2014-06-01' };
    it.each([
      ['under13 parental-consent, no consent: blocked', 'parental-consent', { ...child, parentalConsent: false }, 'blocked', 'parental-consent-required'],
      ['under13 parental-consent, consent missing: blocked', 'parental-consent', child, 'blocked', 'parental-consent-required'],
      ['under13 block: blocked even with consent', 'block', { ...child, parentalConsent: true }, 'blocked', 'minor-blocked'],
      ['under13 anonymous: reaches the vendor with no identity', 'anonymous', { ...child, parentalConsent: true }, 'anonymous', undefined],
    ] as const)('%s', (_name, policy, patron, access, block) => {
      const contract = compileOrThrow(contractYaml({ minors: `minors: { under13: ${policy} }`, fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: isUnder13 } }' }));
      const result = minimize(patron, contract, keys, NOW);
      expect(result.access).toBe(access);
      expect(result.block).toBe(block);
      expect(result.view).toEqual({});
      expect(new Set(result.decisions.map((d) => d.outcome))).toEqual(new Set(['withheld_minor']));
    });

    it('a child with parental consent on a parental-consent vendor gets the normal view', () => {
      const result = minimize({ ...child, parentalConsent: true, consents: [] }, ebooks, keys, NOW);
      expect(result.access).toBe('identified');
      expect(result.view).toEqual({ sub: keys.pseudonymize('test-vendor', 'p-1'), ageBand: '12-17', postalCode3: '068' });
      expect(result.minorRule).toEqual({ group: 'under13', policy: 'parental-consent', ageKnown: true });
    });

    it('applies the under-18 rule to a 16-year-old', () => {
      const result = minimize({ ...adult, birthDate: '2010-05-20' }, ebooks, keys, NOW);
      expect(result.access).toBe('anonymous');
      expect(result.minorRule?.group).toBe('under18');
    });

    it('applies no minors rule to an 18-year-old on their birthday', () => {
      expect(minimize({ ...adult, birthDate: '2008-11-29' }, ebooks, keys, NOW).access).toBe('identified');
    });

    it('treats a patron with no birth date as under 13 (unknown never means adult)', () => {
      const result = minimize({ patronId: 'p-9', email: 'x@example.org' }, ebooks, keys, NOW);
      expect(result.access).toBe('blocked');
      expect(result.minorRule).toEqual({ group: 'under13', policy: 'parental-consent', ageKnown: false });
    });

    it('treats an impossible birth date as unknown age', () => {
      expect(minimize({ ...adult, birthDate: '1990-02-30' }, ebooks, keys, NOW).access).toBe('blocked');
    });
  });

  it('is deterministic and does not touch its inputs', () => {
    const frozen = Object.freeze({ ...adult, consents: Object.freeze([...(adult.consents ?? [])]) });
    expect(minimize(frozen, ebooks, keys, NOW)).toEqual(minimize(frozen, ebooks, keys, NOW));
  });

  it('returns a frozen view', () => {
    expect(Object.isFrozen(minimize(adult, ebooks, keys, NOW).view)).toBe(true);
  });

  it('a preset can be narrowed by a drop and extended by a field', () => {
    const contract = compileOrThrow(contractYaml({ fields: 'fields: { patronType: { action: drop }, homeBranch: { action: pass } }', preset: 'preset: pseudonymous' }));
    const result = minimize({ ...adult, homeBranch: 'main' }, contract, keys, NOW);
    expect(Object.keys(result.view).sort()).toEqual(['homeBranch', 'sub']);
  });
});
