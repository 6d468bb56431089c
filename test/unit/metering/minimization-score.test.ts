import { describe, expect, it } from 'vitest';
import { scoreContract, scoreTraffic } from '../../../src/metering/minimization-score.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

describe('minimization score', () => {
  it.each([
    ['an anonymous contract', { identity: 'identity: { delivery: none }', fields: '' }, 1],
    ['one pseudonym, the rest withheld', {}, (16 + 0.5) / 17],
    ['a pseudonym, an age band and a passed email', { fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: ageBand }, email: { action: pass, consent: share-email } }' }, (14 + 0.5 + 0.75 + 0) / 17],
    ['everything passed', { identity: 'identity: { delivery: headers }', fields: `fields: { ${['patronId', 'barcode', 'firstName', 'lastName', 'email', 'phone', 'address.street', 'address.city', 'address.state', 'address.postalCode', 'birthDate', 'patronType', 'homeBranch', 'language', 'residencyVerified', 'consents', 'parentalConsent'].map((f) => `${f}: { action: pass }`).join(', ')} }` }, 0],
  ])('by contract: %s', (_name, overrides, expected) => {
    expect(scoreContract(compileOrThrow(contractYaml(overrides)))).toBeCloseTo(expected, 10);
  });

  it('by traffic: the weighted share of counted decisions, undefined before any', () => {
    expect(scoreTraffic({})).toBeUndefined();
    expect(scoreTraffic({ withheld: 6, withheld_no_consent: 1, withheld_minor: 1, generalized: 4, pseudonymized: 2, passed: 2 })).toBeCloseTo((8 + 3 + 1 + 0) / 16, 10);
  });
});
