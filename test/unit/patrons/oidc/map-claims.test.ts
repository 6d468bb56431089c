import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { mapClaims, MAX_CLAIM_TEXT } from '../../../../src/patrons/oidc/map-claims.ts';

const ID = 'sso-abcdefghijklmnopqrstuvwxyz234567';

/** One mapped field: the claim value the provider sent and what the record holds (undefined: left out). */
interface Case {
  readonly name: string;
  readonly field: string;
  readonly value: unknown;
  readonly expected: unknown;
  /** The claim was there but not usable: named (never quoted) for the log. */
  readonly unusable?: boolean;
}

const CASES: ReadonlyArray<Case> = [
  { name: 'a text is taken', field: 'firstName', value: 'Ada', expected: 'Ada' },
  { name: 'a text is trimmed', field: 'lastName', value: '  Lovelace ', expected: 'Lovelace' },
  { name: 'a number becomes text (card numbers sent as numbers)', field: 'barcode', value: 29000000000001, expected: '29000000000001' },
  { name: 'a number that is not finite is not usable', field: 'barcode', value: Number.POSITIVE_INFINITY, expected: undefined, unusable: true },
  { name: 'an empty text is not usable', field: 'homeBranch', value: '   ', expected: undefined, unusable: true },
  { name: `a text of ${MAX_CLAIM_TEXT} characters is taken`, field: 'patronType', value: 'x'.repeat(MAX_CLAIM_TEXT), expected: 'x'.repeat(MAX_CLAIM_TEXT) },
  { name: `a text longer than ${MAX_CLAIM_TEXT} characters is not usable`, field: 'patronType', value: 'x'.repeat(MAX_CLAIM_TEXT + 1), expected: undefined, unusable: true },
  { name: 'a list where a text is expected is not usable', field: 'language', value: ['en'], expected: undefined, unusable: true },
  { name: 'an object where a text is expected is not usable', field: 'phone', value: { number: '1' }, expected: undefined, unusable: true },
  { name: 'true where a text is expected is not usable', field: 'phone', value: true, expected: undefined, unusable: true },
  { name: 'an email address is taken', field: 'email', value: 'ada@library.example', expected: 'ada@library.example' },
  { name: 'an email without @ is not usable', field: 'email', value: 'ada.library.example', expected: undefined, unusable: true },
  { name: 'an email with a space is not usable', field: 'email', value: 'ada lovelace@library.example', expected: undefined, unusable: true },
  { name: 'an email with nothing before the @ is not usable', field: 'email', value: '@library.example', expected: undefined, unusable: true },
  { name: 'an email with nothing after the @ is not usable', field: 'email', value: 'ada@', expected: undefined, unusable: true },
  { name: 'an email followed by more words is not usable', field: 'email', value: 'ada@library.example and more', expected: undefined, unusable: true },
  { name: 'a birthdate YYYY-MM-DD is taken', field: 'birthDate', value: '1815-12-10', expected: '1815-12-10' },
  { name: 'a birthdate with the year withheld (0000-MM-DD) is useless for age rules', field: 'birthDate', value: '0000-12-10', expected: undefined, unusable: true },
  { name: 'a birthdate of the year alone is not a date', field: 'birthDate', value: '1815', expected: undefined, unusable: true },
  { name: 'a birthdate with more around it is not a date', field: 'birthDate', value: 'x1815-12-10', expected: undefined, unusable: true },
  { name: 'a birthdate followed by more is not a date', field: 'birthDate', value: '1815-12-10T00:00', expected: undefined, unusable: true },
  { name: 'a birthdate as a number is not usable', field: 'birthDate', value: 18151210, expected: undefined, unusable: true },
  { name: 'a birthdate in a list is not usable', field: 'birthDate', value: ['1815-12-10'], expected: undefined, unusable: true },
  { name: 'true is a flag', field: 'residencyVerified', value: true, expected: true },
  { name: 'false is a flag', field: 'parentalConsent', value: false, expected: false },
  { name: '"true" is a flag (some providers send text)', field: 'residencyVerified', value: 'true', expected: true },
  { name: '"false" is a flag', field: 'parentalConsent', value: 'false', expected: false },
  { name: '1 is not a flag', field: 'parentalConsent', value: 1, expected: undefined, unusable: true },
  { name: '"yes" is not a flag', field: 'residencyVerified', value: 'yes', expected: undefined, unusable: true },
  { name: 'a list of consent names is taken', field: 'consents', value: ['share-email-with-vendors', 'newsletter'], expected: ['share-email-with-vendors', 'newsletter'] },
  { name: 'consent names in one text, separated by spaces', field: 'consents', value: ' share-email-with-vendors  newsletter', expected: ['share-email-with-vendors', 'newsletter'] },
  { name: 'items that are not consent names are left out', field: 'consents', value: ['Share Email', 'ok', 7, 'a--b', '-x', 'y-', 'UPPER', 'good-one'], expected: ['ok', 'good-one'] },
  { name: 'a consent name longer than 64 characters is left out', field: 'consents', value: ['a'.repeat(64), 'b'.repeat(65)], expected: ['a'.repeat(64)] },
  { name: 'an empty list is no consent', field: 'consents', value: [], expected: [] },
  { name: 'consents that are neither a list nor a text are not usable', field: 'consents', value: { email: true }, expected: undefined, unusable: true },
];

describe('mapClaims: one claim per canonical field', () => {
  it.each(CASES)('$field: $name', ({ field, value, expected, unusable }) => {
    const result = mapClaims({ the_claim: value }, { [field]: 'the_claim' }, ID);
    const record = result.patron as unknown as Record<string, unknown>;
    expect(record[field]).toEqual(expected);
    expect(Object.keys(record).sort()).toEqual(expected === undefined ? ['patronId'] : [field, 'patronId'].sort());
    expect(result.unusable).toEqual(unusable ? [field] : []);
  });

  it('keeps at most 64 consents', () => {
    const many = Array.from({ length: 70 }, (_, index) => `c${index}`);
    expect(mapClaims({ c: many }, { consents: 'c' }, ID).patron.consents).toEqual(many.slice(0, 64));
  });
});

describe('mapClaims: the record', () => {
  it('makes the address object from dotted claims, and only the parts present', () => {
    const { patron } = mapClaims({ address: { locality: 'Westport', postal_code: '06880' } }, { 'address.city': 'address.locality', 'address.postalCode': 'address.postal_code', 'address.street': 'address.street_address' }, ID);
    expect(patron).toEqual({ patronId: ID, address: { city: 'Westport', postalCode: '06880' } });
  });

  it('has no address when no part is usable', () => {
    const { patron, unusable } = mapClaims({ address: { locality: 7.5e400 } }, { 'address.city': 'address.locality' }, ID);
    expect(patron).toEqual({ patronId: ID });
    expect(unusable).toEqual(['address.city']);
  });

  it('takes patronId from the caller (the keyed sub), never from a claim, even when the mapping names one', () => {
    const { patron } = mapClaims({ sub: 'raw-sub', employee: 'E1' }, { patronId: 'employee' }, ID);
    expect(patron).toEqual({ patronId: ID });
  });

  it('ignores mapping keys that are not canonical fields and prototype names', () => {
    const { patron, unusable } = mapClaims({ x: 'value' }, { favouriteColour: 'x', toString: 'x', __proto__: 'x', constructor: 'x' } as Record<string, string>, ID);
    expect(patron).toEqual({ patronId: ID });
    expect(unusable).toEqual([]);
  });

  it('leaves out absent and null claims without calling them unusable', () => {
    expect(mapClaims({ given_name: null }, { firstName: 'given_name', lastName: 'family_name' }, ID)).toEqual({ patron: { patronId: ID }, unusable: [] });
  });

  it('takes nothing the mapping does not name, however much the provider sends', () => {
    const { patron } = mapClaims({ given_name: 'Ada', family_name: 'Lovelace', email: 'a@b.example', phone_number: '1' }, { firstName: 'given_name' }, ID);
    expect(patron).toEqual({ patronId: ID, firstName: 'Ada' });
  });

  it('maps a whole set of standard claims at once', () => {
    const claims = { given_name: 'Ada', family_name: 'Lovelace', email: 'ada@library.example', birthdate: '1815-12-10', locale: 'en', library: { card: '2900', type: 'adult' } };
    const mapping = { firstName: 'given_name', lastName: 'family_name', email: 'email', birthDate: 'birthdate', language: 'locale', barcode: 'library.card', patronType: 'library.type' };
    expect(mapClaims(claims, mapping, ID)).toEqual({
      patron: { patronId: ID, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@library.example', birthDate: '1815-12-10', language: 'en', barcode: '2900', patronType: 'adult' },
      unusable: [],
    });
  });

  test.prop([fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 })], { numRuns: 300, seed: 20261202 })(
    'never invents a value: every text in the record is in the claims, and only canonical field names are reported unusable',
    (claims) => {
      const mapping = { firstName: Object.keys(claims)[0] ?? 'none', email: Object.keys(claims)[1] ?? 'none', consents: Object.keys(claims)[2] ?? 'none' };
      const { patron, unusable } = mapClaims(claims, mapping, ID);
      const sent = new Set<string>();
      const collect = (value: unknown): void => {
        if (typeof value === 'string') for (const part of [value, value.trim(), ...value.split(' ')]) sent.add(part);
        else if (typeof value === 'number' || typeof value === 'boolean') sent.add(String(value));
        else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
      };
      collect(claims);
      for (const [field, value] of Object.entries(patron)) {
        if (field === 'patronId') continue;
        for (const text of [value].flat()) expect(sent.has(String(text))).toBe(true);
      }
      for (const field of unusable) expect(Object.keys(mapping)).toContain(field);
    },
  );
});
