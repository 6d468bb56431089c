import { describe, expect, it } from 'vitest';
import { findStandardClaim, OIDC_SCOPES, RESERVED_OIDC_CLAIMS } from '../../../src/policy/oidc-claim-names.ts';

/** OpenID Connect Core 1.0, 5.1 (standard claims) and 2 / 3.1.3.6 (ID token claims), plus the JWT registered claims and cnf. */
const CORE_STANDARD_CLAIMS = ['sub', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address', 'updated_at'];
const ID_TOKEN_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'azp', 'auth_time', 'acr', 'amr', 'at_hash', 'c_hash', 's_hash', 'sid', 'cnf'];

describe('OpenID Connect claim names', () => {
  it('reserves every standard claim and every claim the provider sets, and nothing else', () => {
    expect([...RESERVED_OIDC_CLAIMS].sort()).toEqual([...CORE_STANDARD_CLAIMS, ...ID_TOKEN_CLAIMS].sort());
  });

  it.each([
    ['firstName', 'pass', undefined, { claim: 'given_name' }],
    ['lastName', 'pass', undefined, { claim: 'family_name' }],
    ['email', 'pass', undefined, { claim: 'email' }],
    ['phone', 'pass', undefined, { claim: 'phone_number' }],
    ['birthDate', 'pass', undefined, { claim: 'birthdate' }],
    ['birthDate', 'generalize', 'birthYear', { claim: 'birthdate' }],
    ['language', 'pass', undefined, { claim: 'locale' }],
    ['address.street', 'pass', undefined, { address: 'street_address' }],
    ['address.city', 'pass', undefined, { address: 'locality' }],
    ['address.city', 'generalize', 'city', { address: 'locality' }],
    ['address.state', 'pass', undefined, { address: 'region' }],
    ['address.state', 'generalize', 'state', { address: 'region' }],
    ['address.postalCode', 'pass', undefined, { address: 'postal_code' }],
    ['address.postalCode', 'generalize', 'postalCode3', undefined],
    ['birthDate', 'generalize', 'ageBand', undefined],
    ['birthDate', 'generalize', 'isMinor', undefined],
    ['email', 'generalize', 'emailDomain', undefined],
    ['patronId', 'pseudonymize', undefined, undefined],
    ['patronType', 'pass', undefined, undefined],
    ['homeBranch', 'pass', undefined, undefined],
    ['barcode', 'pass', undefined, undefined],
    ['email', 'drop', undefined, undefined],
  ] as const)('%s %s %s -> %j', (field, action, to, expected) => {
    expect(findStandardClaim(field, action, to)).toEqual(expected);
  });

  it('offers the scopes of OpenID Connect Core 5.4 and openid', () => {
    expect(OIDC_SCOPES).toEqual(['openid', 'profile', 'email', 'address', 'phone']);
  });
});
