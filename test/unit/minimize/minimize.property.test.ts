import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { CompiledContract } from '../../../src/contracts/compiled-contract.ts';
import { compileContract } from '../../../src/contracts/compile-contract.ts';
import { contractSchema } from '../../../src/contracts/contract-schema.ts';
import { CANONICAL_FIELDS, type CanonicalField } from '../../../src/policy/canonical-fields.ts';
import { readPatronField, type Patron } from '../../../src/policy/patron.ts';
import { GENERALIZATIONS } from '../../../src/policy/generalizations/index.ts';
import { minimize } from '../../../src/minimize/minimize.ts';
import { createTestKeys } from '../../helpers/contracts.ts';

const keys = createTestKeys();
const RUNS = 10_000;

// Canary strings: an unmistakable prefix and random letters, so a leak cannot hide in a coincidence.
const canary = (field: string) => fc.stringMatching(/^[a-z]{6,12}$/).map((s) => `canary-${field.replace('.', '-')}-${s}`);
// Postal codes start with 0, 1, 8 or 9: digits absent from base32, so no pseudonym can contain one.
const zip = fc.tuple(fc.constantFrom('0', '1', '8', '9'), fc.stringMatching(/^\d{4}$/)).map(([a, b]) => a + b);
const birthDate = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-29T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const CONSENTS = ['share-email-with-vendors', 'share-phone', 'share-name'];

const patronArbitrary: fc.Arbitrary<Patron> = fc.record(
  {
    patronId: canary('patronId'),
    barcode: canary('barcode'),
    firstName: canary('firstName'),
    lastName: canary('lastName'),
    email: fc.tuple(canary('email'), fc.stringMatching(/^[a-z]{3,8}$/)).map(([a, d]) => `${a}@${d}.example`),
    phone: canary('phone'),
    address: fc.record(
      { street: canary('street'), city: canary('city'), state: canary('state'), postalCode: zip },
      { requiredKeys: [] },
    ),
    birthDate,
    patronType: canary('patronType'),
    homeBranch: canary('homeBranch'),
    language: canary('language'),
    residencyVerified: fc.boolean(),
    consents: fc.subarray(CONSENTS),
    parentalConsent: fc.boolean(),
  },
  { requiredKeys: ['patronId'] },
);

/** A random valid rule for a field: pass, drop, an applicable generalization, or (patronId) a pseudonym; maybe consent-gated. */
function ruleFor(field: CanonicalField): fc.Arbitrary<Record<string, unknown> | undefined> {
  const generalizations = [...GENERALIZATIONS.values()].filter((g) => g.appliesTo.includes(field)).map((g) => g.name);
  const actions: Array<fc.Arbitrary<Record<string, unknown>>> = [fc.constant({ action: 'pass' }), fc.constant({ action: 'drop' })];
  if (field === 'patronId') actions.push(fc.constant({ action: 'pseudonymize' }));
  if (generalizations.length > 0) actions.push(fc.constantFrom(...generalizations).map((to) => ({ action: 'generalize', to })));
  const rule = fc.tuple(fc.oneof(...actions), fc.option(fc.constantFrom(...CONSENTS), { nil: undefined })).map(([r, consent]) =>
    consent && r['action'] !== 'drop' ? { ...r, consent } : r,
  );
  return fc.option(rule, { nil: undefined });
}

const contractArbitrary: fc.Arbitrary<CompiledContract> = fc
  .tuple(
    fc.tuple(...CANONICAL_FIELDS.map((f) => ruleFor(f))),
    fc.constantFrom('block', 'parental-consent', 'anonymous'),
    fc.option(fc.constantFrom('block', 'parental-consent', 'anonymous'), { nil: undefined }),
  )
  .map(([rules, under13, under18]) => {
    const fields: Record<string, unknown> = {};
    CANONICAL_FIELDS.forEach((field, i) => {
      const rule = rules[i];
      // Give every released rule its own view name, so two fields never compete for one name.
      if (rule) fields[field] = rule['action'] === 'drop' ? rule : { ...rule, as: `v_${field.replace('.', '_')}` };
    });
    const document = contractSchema.parse({
      id: 'prop-vendor',
      name: 'Property vendor',
      kind: 'econtent',
      purpose: 'Property testing',
      contract: { reference: 'P-1', effective: '2020-01-01', expires: '2030-01-01' },
      upstream: { url: 'http://127.0.0.1:1', hosts: ['127.0.0.1'] },
      identity: { delivery: 'headers' },
      fields,
      minors: { under13, ...(under18 ? { under18 } : {}) },
    });
    const compiled = compileContract(document, { file: 'prop-vendor.yaml', expectedId: 'prop-vendor', signingKeyConfigured: true });
    if (!compiled.contract) throw new Error(compiled.problems.map((p) => `${p.path} ${p.message}`).join('; '));
    return compiled.contract;
  });

const now = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true });

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  return [];
}

describe('minimize (properties)', () => {
  test.prop([patronArbitrary, contractArbitrary, now], { numRuns: RUNS })('no value of a withheld field appears anywhere in the serialized view', (patron, contract, at) => {
    const result = minimize(patron, contract, keys, at);
    const serialized = JSON.stringify(result.view);
    for (const decision of result.decisions) {
      if (!decision.outcome.startsWith('withheld')) continue;
      for (const value of stringsOf(readPatronField(patron, decision.field))) {
        if (value.length >= 4) expect(serialized).not.toContain(value);
      }
    }
  });

  test.prop([patronArbitrary, contractArbitrary, now], { numRuns: RUNS })('is deterministic, and the view holds exactly the released decisions', (patron, contract, at) => {
    const first = minimize(patron, contract, keys, at);
    expect(minimize(patron, contract, keys, at)).toEqual(first);
    const released = first.decisions.filter((d) => d.reason === 'released').map((d) => d.as);
    expect(Object.keys(first.view).sort()).toEqual(released.sort());
    if (first.access !== 'identified') expect(first.view).toEqual({});
  });

  test.prop([patronArbitrary, contractArbitrary, now], { numRuns: 2_000 })('a field with no rule is never released (default deny)', (patron, contract, at) => {
    for (const decision of minimize(patron, contract, keys, at).decisions) {
      if (!contract.ruleFor.has(decision.field)) expect(decision.outcome).toMatch(/^withheld/);
    }
  });
});
