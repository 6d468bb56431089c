import { describe, expect, it } from 'vitest';
import { patronSsoSettingsSchema, staffSsoSettingsSchema } from '../../../src/settings/sso-settings.ts';

const BASE = { name: 'Library Account', issuer: 'https://idp.library.example', clientId: 'gateway', clientSecret: { env: 'SSO_SECRET' } };

/** The first problem's path and message, or undefined when the settings are accepted. */
function problemOf(schema: typeof patronSsoSettingsSchema | typeof staffSsoSettingsSchema, settings: unknown): string | undefined {
  const result = schema.safeParse(settings);
  return result.success ? undefined : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join(' | ');
}

describe('patrons.oidc', () => {
  it('takes the defaults: scopes [openid], no claims, 5 s, no staff claim', () => {
    expect(patronSsoSettingsSchema.parse(BASE)).toEqual({ ...BASE, scopes: ['openid'], claims: {}, timeoutMs: 5000 });
  });

  it.each([
    ['https issuer', { issuer: 'https://idp.example/realms/library' }],
    ['http on 127.0.0.1 (a provider on this computer)', { issuer: 'http://127.0.0.1:8443' }],
    ['http on localhost', { issuer: 'http://localhost:8443/' }],
    ['http on [::1]', { issuer: 'http://[::1]:8443' }],
    ['every canonical field but patronId mapped', { claims: { barcode: 'c', firstName: 'c', lastName: 'c', email: 'c', phone: 'c', 'address.street': 'c', 'address.city': 'c', 'address.state': 'c', 'address.postalCode': 'c', birthDate: 'c', patronType: 'c', homeBranch: 'c', language: 'c', residencyVerified: 'c', consents: 'c', parentalConsent: 'c' } }],
    ['URI-named and dotted claims', { claims: { barcode: 'https://idp.example/claims/card', 'address.postalCode': 'address.postal_code' } }],
    ['scopes with openid among others', { scopes: ['openid', 'profile', 'email', 'urn:library:card'] }],
    ['the shortest and longest timeouts', { timeoutMs: 500 }],
    ['the longest timeout', { timeoutMs: 60_000 }],
    ['a staff claim', { staffClaim: { claim: 'groups', values: ['library-staff'] } }],
    ['a file secret', { clientSecret: { file: 'sso.secret' } }],
  ])('accepts %s', (_name, change) => {
    expect(problemOf(patronSsoSettingsSchema, { ...BASE, ...change })).toBeUndefined();
  });

  it.each([
    ['an http issuer elsewhere', { issuer: 'http://idp.library.example' }, 'issuer: must be https'],
    ['an http issuer on a host that merely starts like loopback', { issuer: 'http://127.0.0.1.evil.example' }, 'issuer: must be https'],
    ['an ftp issuer', { issuer: 'ftp://idp.library.example' }, 'issuer'],
    ['scopes without openid', { scopes: ['profile'] }, 'scopes: must include openid'],
    ['no scopes', { scopes: [] }, 'scopes'],
    ['a scope with a space', { scopes: ['openid profile'] }, 'scopes.0: write one scope per list item'],
    ['a scope with a quote', { scopes: ['openid', 'a"b'] }, 'scopes.1'],
    ['a scope with a backslash', { scopes: ['openid', 'a\\b'] }, 'scopes.1'],
    ['a claim name with a space', { claims: { firstName: 'given name' } }, 'claims.firstName: write a claim name without spaces'],
    ['a mapping for patronId', { claims: { patronId: 'sub' } }, "claims.patronId: cannot be mapped: a signed-in patron's id is always the provider's sub"],
    ['a mapping for an unknown field', { claims: { favouriteColour: 'c' } }, 'claims.favouriteColour: is not a canonical patron field; use one of barcode, firstName'],
    ['an empty name', { name: '  ' }, 'name'],
    ['a name too long for a button', { name: 'x'.repeat(81) }, 'name'],
    ['a timeout under half a second', { timeoutMs: 499 }, 'timeoutMs'],
    ['a timeout over a minute', { timeoutMs: 60_001 }, 'timeoutMs'],
    ['a staff claim with no values', { staffClaim: { claim: 'groups', values: [] } }, 'staffClaim.values'],
    ['a secret written in the file', { clientSecret: 'plain' }, 'clientSecret'],
    ['an unknown key', { clientID: 'x' }, 'Unrecognized key'],
  ])('refuses %s', (_name, change, says) => {
    expect(problemOf(patronSsoSettingsSchema, { ...BASE, ...change })).toContain(says);
  });
});

describe('admin.sso', () => {
  it('needs a staff claim and takes no claims mapping', () => {
    expect(problemOf(staffSsoSettingsSchema, BASE)).toContain('staffClaim');
    expect(problemOf(staffSsoSettingsSchema, { ...BASE, staffClaim: { claim: 'groups', values: ['it'] } })).toBeUndefined();
    expect(problemOf(staffSsoSettingsSchema, { ...BASE, staffClaim: { claim: 'groups', values: ['it'] }, claims: {} })).toContain('Unrecognized key');
  });
});
