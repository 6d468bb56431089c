import { describe, expect, it } from 'vitest';
import { mapOidcClaims } from '../../../../../src/channels/federation/oidc/map-oidc-claims.ts';
import { minimize } from '../../../../../src/minimize/minimize.ts';
import type { Patron } from '../../../../../src/policy/patron.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from '../../../../helpers/contracts.ts';

const keys = createTestKeys();
const patron: Patron = {
  patronId: 'p-canary-1',
  barcode: '29000000099001',
  firstName: 'Ada',
  lastName: 'Canary',
  email: 'ada@example.org',
  phone: '+1-555-0100',
  address: { street: '1 Main St', city: 'Westport', state: 'CT', postalCode: '06880' },
  birthDate: '1988-04-17',
  patronType: 'adult',
  language: 'es',
  consents: ['share-email-with-vendors'],
  residencyVerified: true,
} as Patron;

function claimsFor(fields: string): Record<string, unknown> {
  const contract = compileOrThrow(contractYaml({ upstream: '', identity: 'identity: { delivery: oidc, oidc: { clientId: c, redirectUris: ["https://v.example/cb"], clientSecret: { env: S } } }', fields: `fields: { patronId: { action: pseudonymize }, ${fields} }` }));
  const result = minimize(patron, contract, keys, NOW);
  const oidc = contract.identity.oidc;
  if (oidc === undefined) throw new Error('no oidc delivery');
  return mapOidcClaims(result.view, oidc) as Record<string, unknown>;
}

describe('mapOidcClaims: the vendor view as ID token claims, and nothing else', () => {
  it.each([
    ['a pseudonym alone: only sub', '', {}],
    ['standard names for passed values, strings as OpenID Connect defines them', 'firstName: { action: pass }, lastName: { action: pass }, email: { action: pass }, phone: { action: pass }, language: { action: pass }, birthDate: { action: pass }', { given_name: 'Ada', family_name: 'Canary', email: 'ada@example.org', phone_number: '+1-555-0100', locale: 'es', birthdate: '1988-04-17' }],
    ['a birth year as a birthdate string', 'birthDate: { action: generalize, to: birthYear }', { birthdate: '1988' }],
    ['address members gathered in one address claim', 'address.street: { action: pass }, address.city: { action: generalize, to: city }, address.state: { action: pass }, address.postalCode: { action: pass }', { address: { street_address: '1 Main St', locality: 'Westport', region: 'CT', postal_code: '06880' } }],
    ['generalized values under their view names, with their types', 'birthDate: { action: generalize, to: isMinor }, address.postalCode: { action: generalize, to: postalCode3 }, residencyVerified: { action: pass }', { isMinor: false, postalCode3: '068', residencyVerified: true }],
    ['a list value stays a list', 'consents: { action: pass }', { consents: ['share-email-with-vendors'] }],
    ['a value withheld for lack of consent is not a claim', 'email: { action: pass, consent: not-given }', {}],
    ['a dropped rule is not a claim', 'email: { action: drop }', {}],
  ])('%s', (_name, fields, expected) => {
    expect(claimsFor(fields)).toStrictEqual({ sub: expect.stringMatching(/^[a-z2-7]{32}$/), ...expected });
  });

  it('never invents a value the view does not hold', () => {
    const delivery = { clientId: 'c', redirectUris: [], auth: { method: 'client_secret_basic', secret: { env: 'S' } }, scopes: ['openid'], subjectView: 'sub', claims: [{ view: 'city', field: 'address.city', place: { address: 'locality' } }, { view: 'ageBand', field: 'birthDate', place: { claim: 'ageBand' } }] } as const;
    expect(mapOidcClaims({}, delivery)).toStrictEqual({});
    expect(mapOidcClaims({ ageBand: '18-64' }, delivery)).toStrictEqual({ ageBand: '18-64' });
    expect(mapOidcClaims({ sub: 'abc', other: 'x' }, delivery)).toStrictEqual({ sub: 'abc' });
    expect(mapOidcClaims(Object.create({ city: 'inherited', sub: 'inherited' }) as Record<string, string>, delivery)).toStrictEqual({});
    expect(mapOidcClaims({ city: 'Westport' }, delivery)).toStrictEqual({ address: { locality: 'Westport' } });
    expect(mapOidcClaims({}, { ...delivery, subjectView: 'constructor' })).toStrictEqual({});
  });

  it('no claim carries a canary value the view does not hold', () => {
    const text = JSON.stringify(claimsFor('firstName: { action: pass }, birthDate: { action: generalize, to: ageBand }, address.postalCode: { action: generalize, to: postalCode3 }'));
    for (const canary of ['p-canary-1', '29000000099001', 'Canary', 'ada@example.org', '+1-555-0100', '1 Main St', '1988', '06880']) expect(text).not.toContain(canary);
  });
});
