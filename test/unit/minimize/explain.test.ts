import { describe, expect, it } from 'vitest';
import { explainResult, formatExplanation } from '../../../src/minimize/explain.ts';
import { minimize } from '../../../src/minimize/minimize.ts';
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
  phone: { action: drop }`,
    minors: 'minors: { under13: parental-consent, under18: anonymous }',
  }),
);
const adult: Patron = {
  patronId: 'p-1',
  barcode: '29000000000001',
  email: 'ana@example.org',
  phone: '203-555-0101',
  address: { postalCode: 'SW1A 1AA' },
  birthDate: '1988-04-12',
  consents: ['share-email-with-vendors'],
};

function explain(patron: Patron, now = NOW) {
  return explainResult(contract, minimize(patron, contract, keys, now), now);
}

function lineFor(patron: Patron, field: string, now = NOW): string | undefined {
  return explain(patron, now).fields.find((f) => f.field === field)?.explanation;
}

describe('explainResult', () => {
  it('names the vendor, the time, the contract state, the notice version, the delivery and the view', () => {
    const explanation = explain(adult);
    expect(explanation).toMatchObject({
      vendor: 'test-vendor',
      vendorName: 'Test Vendor',
      at: NOW.toISOString(),
      contractStatus: { state: 'active' },
      noticeVersion: contract.noticeVersion,
      delivery: 'jwt',
      access: 'identified',
      view: { sub: keys.pseudonymize('test-vendor', 'p-1'), ageBand: '18-64', email: 'ana@example.org' },
    });
    expect(explanation).not.toHaveProperty('block');
    expect(explanation).not.toHaveProperty('minorRule');
  });

  it.each([
    ['a released generalized field says what it became and how', 'birthDate', '-> ageBand "18-64" (generalize to ageBand)'],
    ['a released passed field with a consent says the consent was given', 'email', '-> email "ana@example.org" (pass, consent share-email-with-vendors given)'],
    ['a field outside the contract says so', 'barcode', '-> withheld (not in the contract)'],
    ['a dropped field says the contract drops it', 'phone', '-> withheld (the contract drops it)'],
    ['a generalization with nothing to give names the generalization', 'address.postalCode', '-> withheld (no postalCode3 value can be made from it)'],
  ])('%s', (_name, field, expected) => {
    expect(lineFor(adult, field)).toBe(expected);
  });

  it('a released pseudonym says pseudonymize, with no consent clause (none is needed)', () => {
    expect(lineFor(adult, 'patronId')).toBe(`-> sub "${keys.pseudonymize('test-vendor', 'p-1')}" (pseudonymize)`);
  });

  it('a consent-gated field without the consent names the consent needed', () => {
    expect(lineFor({ ...adult, consents: [] }, 'email')).toBe('-> withheld (needs consent share-email-with-vendors)');
  });

  it.each([
    ['a child is under 13', { ...adult, birthDate: '2018-01-01' }, '-> withheld (patron is under 13; minors rule parental-consent)', 'blocked'],
    ['a teenager is under 18', { ...adult, birthDate: '2011-01-01' }, '-> withheld (patron is under 18; minors rule anonymous)', 'anonymous'],
    ['a patron with no birth date is of unknown age, treated as under 13', { patronId: 'p-2', email: 'x@example.org' }, '-> withheld (patron is of unknown age (treated as under 13); minors rule parental-consent)', 'blocked'],
  ])('minors: %s', (_name, patron, expected, access) => {
    const explanation = explain(patron);
    expect(explanation.access).toBe(access);
    expect(explanation.fields.find((f) => f.field === 'email')?.explanation).toBe(expected);
    expect(explanation.minorRule).toBeDefined();
  });
});

describe('formatExplanation', () => {
  it('prints the header, one aligned line per field and the view', () => {
    const text = formatExplanation(explain(adult));
    const lines = text.split('\n');
    expect(lines[0]).toBe('What Test Vendor (test-vendor) would receive, as of 2026-11-29');
    expect(lines[1]).toBe(`Delivery: jwt; notice version ${contract.noticeVersion}`);
    expect(lines[2]).toBe('Access: allowed');
    expect(lines[3]).toBe('');
    // Field names padded to the longest (address.postalCode, 18 characters).
    expect(lines).toContain('  barcode            -> withheld (not in the contract)');
    expect(lines).toContain('  address.postalCode -> withheld (no postalCode3 value can be made from it)');
    expect(lines.at(-2)).toBe('');
    expect(lines.at(-1)).toBe(`Vendor view: ${JSON.stringify(explain(adult).view)}`);
  });

  it('pads short field names to at least five characters', () => {
    const text = formatExplanation(explain({ patronId: 'p-3', birthDate: '1980-01-01' }));
    expect(text).toContain('\n  birthDate -> ageBand "18-64" (generalize to ageBand)\n');
    const onlyId = formatExplanation(explainResult(contract, { access: 'identified', view: {}, decisions: [{ field: 'email', outcome: 'withheld', reason: 'not-in-contract' }] }, NOW));
    expect(onlyId).toContain('\n  email -> withheld (not in the contract)\n');
  });

  it.each([
    ['a child without consent is blocked until a parent consents', { ...adult, birthDate: '2018-01-01' }, 'Access: BLOCKED until a parent or guardian consents'],
    ['a teenager is anonymous', { ...adult, birthDate: '2011-01-01' }, 'Access: anonymous (the vendor sees only the library)'],
  ])('access: %s', (_name, patron, expected) => {
    expect(formatExplanation(explain(patron)).split('\n')[2]).toBe(expected);
  });

  it('a minors block (not consent) says blocked for this patron', () => {
    const blocking = compileOrThrow(contractYaml({ minors: 'minors: { under13: block }' }));
    const text = formatExplanation(explainResult(blocking, minimize({ patronId: 'p-4', birthDate: '2018-01-01' }, blocking, keys, NOW), NOW));
    expect(text.split('\n')[2]).toBe('Access: BLOCKED for this patron (minors rule)');
  });

  it.each([
    ['an expired contract warns that the vendor is closed, with the days since', '2028-01-03T12:00:00Z', 'WARNING: the contract expired 2 day(s) ago; the vendor is closed'],
    ['a contract not yet in force warns with the days until', '2025-12-30T12:00:00Z', 'WARNING: the contract takes effect in 2 day(s); the vendor is closed until then'],
    ['a contract expiring within the warning window says so', '2027-12-20T12:00:00Z', 'Note: the contract expires in 12 day(s)'],
  ])('status: %s', (_name, at, expected) => {
    const lines = formatExplanation(explain(adult, new Date(at))).split('\n');
    expect(lines[1]).toBe(expected);
    expect(lines[2]).toMatch(/^Delivery: /);
  });

  it('an active contract prints no status line', () => {
    expect(formatExplanation(explain(adult))).not.toMatch(/WARNING|Note:/);
  });
});
