import { describe, expect, it } from 'vitest';
import { ACTIONS_BY_NAME } from '../../../../src/policy/actions/index.ts';
import type { CompiledRule } from '../../../../src/policy/compiled-rule.ts';
import type { FieldRule } from '../../../../src/policy/field-rule.ts';
import { GENERALIZATIONS } from '../../../../src/policy/generalizations/index.ts';
import { createTestKeys, NOW } from '../../../helpers/contracts.ts';

const context = { vendorId: 'v1', keys: createTestKeys(), now: NOW };
const rule = (action: CompiledRule['action'], extra: Partial<CompiledRule> = {}): CompiledRule => ({ field: 'patronId', action, as: 'x', options: {}, origin: 'fields', ...extra });

describe('field actions: validate', () => {
  it.each([
    ['drop refuses every other key (a dropped field has no name, consent or form)', 'drop', 'email', { action: 'drop', to: 'city', bands: ['0+'], as: 'e', consent: 'c' }, ['to', 'bands', 'as', 'consent']],
    ['drop alone is fine', 'drop', 'email', { action: 'drop' }, []],
    ['pass refuses to and bands (they belong to generalize)', 'pass', 'email', { action: 'pass', to: 'emailDomain', bands: ['0+'], as: 'e', consent: 'c' }, ['to', 'bands']],
    ['pseudonymize refuses to and bands', 'pseudonymize', 'patronId', { action: 'pseudonymize', to: 'x', bands: ['0+'], as: 'sub' }, ['to', 'bands']],
  ] as const)('%s', (_name, action, field, written, keys) => {
    const problems = ACTIONS_BY_NAME[action].validate(field, written as FieldRule);
    expect(problems.map((p) => p.key)).toEqual(keys);
    for (const problem of problems) {
      expect(problem.message).toBe(`"${problem.key}" does not apply to action ${action}`);
      expect(problem.fix).toBe(`remove "${problem.key}", or use action generalize`);
    }
  });

  it.each([
    ['a barcode cannot be pseudonymized, and the reason is that cards are reissued', 'barcode', /^barcodes cannot be pseudonymized: they are reissued/],
    ['any other field cannot be pseudonymized, naming the field', 'email', /^only patronId can be pseudonymized, not email$/],
  ])('%s', (_name, field, message) => {
    const problems = ACTIONS_BY_NAME.pseudonymize.validate(field as 'email', { action: 'pseudonymize' });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.key).toBe('action');
    expect(problems[0]?.message).toMatch(message);
    expect(problems[0]?.fix).toBe('pseudonymize patronId instead (patronId: { action: pseudonymize, as: sub })');
  });

  it.each([
    ['no "to" on a field with generalizations lists them', 'birthDate', undefined, 'generalize needs "to:" naming the coarser value', /^add to: with .*ageBand/],
    ['no "to" on a field without generalizations says to use another action', 'barcode', undefined, 'generalize needs "to:" naming the coarser value', /^barcode has no generalization; use pass, pseudonymize or drop$/],
    ['an unknown generalization on a field with some lists them', 'email', 'domain', '"domain" is not a generalization', /^use .*emailDomain.* for email$/],
    ['an unknown generalization on a field without any says so', 'barcode', 'domain', '"domain" is not a generalization', /^barcode has no generalization; use pass or drop$/],
    ['a generalization for another field names the fields it applies to', 'email', 'city', 'city does not apply to email (it applies to address.city)', /^use .*emailDomain.* for email$/],
    ['a generalization for another field, on a field without any, says so', 'barcode', 'city', 'city does not apply to barcode (it applies to address.city)', /^barcode has no generalization; use pass or drop$/],
  ])('generalize: %s', (_name, field, to, message, fix) => {
    const problems = ACTIONS_BY_NAME.generalize.validate(field as 'email', { action: 'generalize', to });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ key: 'to', message });
    expect(problems[0]?.fix).toMatch(fix);
  });

  it('generalize passes bands to the generalization and reports its problems under "bands"', () => {
    expect(ACTIONS_BY_NAME.generalize.validate('birthDate', { action: 'generalize', to: 'ageBand', bands: ['0-12'] })).toEqual([
      expect.objectContaining({ key: 'bands', message: 'the last band "0-12" must be open-ended, such as "13+"' }),
    ]);
    expect(ACTIONS_BY_NAME.generalize.validate('address.city', { action: 'generalize', to: 'city', bands: ['0+'] })).toEqual([
      { key: 'bands', message: '"bands" only applies to ageBand, not city', fix: 'remove "bands", or use to: ageBand' },
    ]);
    expect(ACTIONS_BY_NAME.generalize.validate('birthDate', { action: 'generalize', to: 'ageBand' })).toEqual([]);
  });
});

describe('field actions: apply', () => {
  it('drop always withholds', () => {
    expect(ACTIONS_BY_NAME.drop.apply('anything', { patronId: 'p' }, rule('drop'), context)).toEqual({ outcome: 'withheld' });
  });

  it('pass gives the value as it is', () => {
    expect(ACTIONS_BY_NAME.pass.apply(['a', 'b'], { patronId: 'p' }, rule('pass'), context)).toEqual({ outcome: 'passed', value: ['a', 'b'] });
  });

  it.each([
    ['an id gets the vendor\'s pseudonym', 'p-1', { outcome: 'pseudonymized', value: context.keys.pseudonymize('v1', 'p-1') }],
    ['an empty id is withheld (there is no one to name)', '', { outcome: 'withheld' }],
    ['a value that is not a string is withheld', true, { outcome: 'withheld' }],
    ['a list is withheld', ['p-1'], { outcome: 'withheld' }],
  ])('pseudonymize: %s', (_name, value, expected) => {
    expect(ACTIONS_BY_NAME.pseudonymize.apply(value, { patronId: 'p-1' }, rule('pseudonymize'), context)).toEqual(expected);
  });

  it('generalize applies the rule\'s generalization, or withholds when there is nothing to give', () => {
    const toZip3 = rule('generalize', { field: 'address.postalCode', generalization: GENERALIZATIONS.get('postalCode3') });
    expect(ACTIONS_BY_NAME.generalize.apply('06880', { patronId: 'p' }, toZip3, context)).toEqual({ outcome: 'generalized', value: '068' });
    expect(ACTIONS_BY_NAME.generalize.apply('SW1A 1AA', { patronId: 'p' }, toZip3, context)).toEqual({ outcome: 'withheld' });
  });
});
