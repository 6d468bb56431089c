import { describe, expect, it } from 'vitest';
import { checkRedirectUri, compileOidcDelivery } from '../../../src/contracts/compile-oidc-delivery.ts';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

const CLIENT = '{ clientId: c1, redirectUris: ["https://v.example/cb"], clientSecret: { env: V_SECRET } }';

/** An oidc contract: no upstream; overrides replace top-level keys. */
function oidcYaml(overrides: Record<string, string> = {}, client = CLIENT): string {
  return contractYaml({ upstream: '', identity: `identity: { delivery: oidc, oidc: ${client} }`, ...overrides });
}

describe('oidc delivery: where each released value goes in the ID token', () => {
  it.each([
    ['a passed first name is given_name', 'firstName: { action: pass }', { view: 'firstName', claim: 'given_name' }],
    ['a passed last name is family_name', 'lastName: { action: pass }', { view: 'lastName', claim: 'family_name' }],
    ['a passed email is email, whatever its view name', 'email: { action: pass, as: mail }', { view: 'mail', claim: 'email' }],
    ['a passed phone is phone_number', 'phone: { action: pass }', { view: 'phone', claim: 'phone_number' }],
    ['a passed birth date is birthdate', 'birthDate: { action: pass }', { view: 'birthDate', claim: 'birthdate' }],
    ['a birth year is birthdate (Core 5.1 allows the year alone)', 'birthDate: { action: generalize, to: birthYear }', { view: 'birthYear', claim: 'birthdate' }],
    ['a language is locale', 'language: { action: pass }', { view: 'language', claim: 'locale' }],
    ['a street is address.street_address', 'address.street: { action: pass }', { view: 'street', address: 'street_address' }],
    ['a city is address.locality', 'address.city: { action: pass }', { view: 'city', address: 'locality' }],
    ['a city kept by its generalization is address.locality', 'address.city: { action: generalize, to: city }', { view: 'city', address: 'locality' }],
    ['a state is address.region', 'address.state: { action: pass }', { view: 'state', address: 'region' }],
    ['a state kept by its generalization is address.region', 'address.state: { action: generalize, to: state }', { view: 'state', address: 'region' }],
    ['a postal code is address.postal_code', 'address.postalCode: { action: pass }', { view: 'postalCode', address: 'postal_code' }],
    ['a ZIP prefix is no postal code: its view name', 'address.postalCode: { action: generalize, to: postalCode3 }', { view: 'postalCode3', claim: 'postalCode3' }],
    ['an age band has no standard claim: its view name', 'birthDate: { action: generalize, to: ageBand, as: age_group }', { view: 'age_group', claim: 'age_group' }],
    ['an email domain is not an email: its view name', 'email: { action: generalize, to: emailDomain }', { view: 'emailDomain', claim: 'emailDomain' }],
    ['a patron type has no standard claim: its view name', 'patronType: { action: pass }', { view: 'patronType', claim: 'patronType' }],
  ])('%s', (_name, rule, expected) => {
    const contract = compileOrThrow(oidcYaml({ fields: `fields: { patronId: { action: pseudonymize, as: sub }, ${rule} }` }));
    const { view, ...place } = expected;
    expect(contract.identity.oidc?.claims).toEqual([{ view, field: expect.any(String), place }]);
    expect(contract.identity.oidc?.subjectView).toBe('sub');
  });

  it('takes the pseudonym for sub whatever its view name, and compiles the client', () => {
    const contract = compileOrThrow(oidcYaml({ fields: 'fields: { patronId: { action: pseudonymize, as: vendorUser }, firstName: { action: drop } }' }));
    expect(contract.identity.oidc).toEqual({
      clientId: 'c1',
      redirectUris: ['https://v.example/cb'],
      auth: { method: 'client_secret_basic', secret: { env: 'V_SECRET' } },
      scopes: ['openid'],
      subjectView: 'vendorUser',
      claims: [],
    });
    expect(Object.isFrozen(contract.identity.oidc)).toBe(true);
  });

  it('compiles public keys as private_key_jwt', () => {
    const key = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    const contract = compileOrThrow(oidcYaml({}, `{ clientId: c1, redirectUris: ["https://v.example/cb"], jwks: { keys: [${JSON.stringify(key)}] }, scopes: [openid, email] }`));
    expect(contract.identity.oidc?.auth).toEqual({ method: 'private_key_jwt', jwks: { keys: [key] } });
    expect(contract.identity.oidc?.scopes).toEqual(['openid', 'email']);
  });
});

describe('oidc delivery: validation names file, dotted path, what and how to fix', () => {
  it.each([
    ['a view name that is a claim OpenID Connect defines', { fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: ageBand, as: locale } }' }, 'fields.birthDate.as', /"locale" is a claim OpenID Connect defines, and birthDate \(generalize to ageBand\)/, /such as locale_ageBand/],
    ['a view name that is a claim the provider sets', { fields: 'fields: { patronId: { action: pseudonymize }, patronType: { action: pass, as: nonce } }' }, 'fields.patronType.as', /"nonce" is a claim OpenID Connect defines, and patronType \(pass\)/, /such as nonce_value/],
    ['a view name that is a standard claim another field maps to', { fields: 'fields: { patronId: { action: pseudonymize }, firstName: { action: pass }, patronType: { action: pass, as: given_name } }' }, 'fields.patronType.as', /"given_name" is a claim OpenID Connect defines/, /another name/],
    ['a scope listed twice', {}, 'identity.oidc.scopes[1]', /"openid" is listed twice/, /once/, '{ clientId: c1, redirectUris: ["https://v.example/cb"], clientSecret: { env: V }, scopes: [openid, openid] }'],
    ['an unknown scope', {}, 'identity.oidc.scopes[1]', /not one of the allowed values/, /openid/, '{ clientId: c1, redirectUris: ["https://v.example/cb"], clientSecret: { env: V }, scopes: [openid, offline_access] }'],
    ['a key of an unknown type', {}, 'identity.oidc.jwks.keys[0].kty', /not EC, OKP or RSA/, /public signing key/, '{ clientId: c1, redirectUris: ["https://v.example/cb"], jwks: { keys: [{ kty: oct, k: abc }] } }'],
    ['a client id with spaces', {}, 'identity.oidc.clientId', /expected format/, /letters, digits/, '{ clientId: "a b", redirectUris: ["https://v.example/cb"], clientSecret: { env: V } }'],
    ['oidc delivery for a grant', { kind: 'kind: grant', report: 'report: { dimensions: [{ name: a, from: branch, generalize: none }], measures: [participants] }' }, 'identity.delivery', /grant has no patrons to sign in/, /none or jwt/],
    ['a plain-http redirect URI off loopback', {}, 'identity.oidc.redirectUris[0]', /"http:\/\/v.example\/cb" is not https \(plain http is allowed only on loopback\)/, /use the https URL/, '{ clientId: c1, redirectUris: ["http://v.example/cb"], clientSecret: { env: V } }'],
    ['a redirect URI listed twice', {}, 'identity.oidc.redirectUris[1]', /"https:\/\/v.example\/cb" is listed twice/, /list each redirect URI once/, '{ clientId: c1, redirectUris: ["https://v.example/cb", "https://v.example/cb"], clientSecret: { env: V } }'],
    ['both a secret and keys', {}, 'identity.oidc', /the client has both a clientSecret and jwks/, /give exactly one/, '{ clientId: c1, redirectUris: ["https://v.example/cb"], clientSecret: { env: V }, jwks: { keys: [{ kty: OKP, crv: Ed25519, x: abc }] } }'],
    ['neither a secret nor keys', {}, 'identity.oidc', /the client has no way to authenticate/, /give exactly one/, '{ clientId: c1, redirectUris: ["https://v.example/cb"] }'],
    ['private key material', {}, 'identity.oidc.jwks.keys[0]', /holds private key material \(d, k\)/, /publish only the vendor's public key/, '{ clientId: c1, redirectUris: ["https://v.example/cb"], jwks: { keys: [{ kty: EC, crv: P-256, x: a, y: b, d: c, k: e }] } }'],
    ['scopes without openid', {}, 'identity.oidc.scopes', /does not include openid/, /add openid/, '{ clientId: c1, redirectUris: ["https://v.example/cb"], clientSecret: { env: V }, scopes: [profile] }'],
    ['no pseudonym for sub', { fields: 'fields: { firstName: { action: pass } }' }, 'identity.delivery', /no rule pseudonymizes patronId/, /pseudonymize, as: sub/],
    ['no identity.oidc', { identity: 'identity: { delivery: oidc }' }, 'identity.oidc', /needs the vendor's client: clientId, redirectUris and a clientSecret or jwks/, /add identity.oidc/],
    ['identity.oidc on jwt delivery', { upstream: 'upstream: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1] }', identity: `identity: { delivery: jwt, oidc: ${CLIENT} }` }, 'identity.oidc', /only applies to oidc delivery \(this is jwt\)/, /set identity.delivery: oidc/],
    ['an upstream', { upstream: 'upstream: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1] }' }, 'upstream', /forwards nothing to it/, /remove upstream/],
    ['identity.names on oidc delivery', { identity: `identity: { delivery: oidc, names: { sub: X }, oidc: ${CLIENT} }` }, 'identity.names', /only applies to headers, form or query/, /remove it/],
  ])('%s', (_name, overrides, path, message, fix, client = CLIENT) => {
    const result = compileContractText('vendors/test-vendor.yaml', oidcYaml(overrides, client), { signingKeyConfigured: true });
    expect(result.contract).toBeUndefined();
    const problem = result.problems.find((p) => p.path === path);
    expect(problem, result.problems.map(formatProblem).join('\n')).toBeDefined();
    expect(problem?.file).toBe('vendors/test-vendor.yaml');
    expect(problem?.message).toMatch(message);
    expect(problem?.fix).toMatch(fix);
  });

  it('needs a signing key for ID tokens', () => {
    const result = compileContractText('vendors/test-vendor.yaml', oidcYaml(), { signingKeyConfigured: false });
    expect(result.problems.map((p) => [p.path, p.message])).toEqual([['identity.delivery', expect.stringMatching(/signs ID tokens with an assertion signing key/)]]);
  });

  it('compiles nothing when any check fails, even with a pseudonym', () => {
    const problems: string[] = [];
    const released = compileOrThrow(oidcYaml()).rules;
    const oidc = { clientId: 'c', redirectUris: ['http://v.example/cb'], clientSecret: { env: 'S' }, scopes: ['openid' as const] };
    expect(compileOidcDelivery({ oidc, released }, (path) => problems.push(path))).toBeUndefined();
    expect(problems).toEqual(['identity.oidc.redirectUris[0]']);
    expect(compileOidcDelivery({ oidc: { ...oidc, redirectUris: ['https://v.example/cb'] }, released }, (path) => problems.push(path))).toMatchObject({ clientId: 'c', subjectView: 'sub' });
  });

  it('pushes nothing and compiles nothing for a missing client, beyond the one problem', () => {
    const problems: string[] = [];
    expect(compileOidcDelivery({ oidc: undefined, released: [] }, (path) => problems.push(path))).toBeUndefined();
    expect(problems).toEqual(['identity.oidc']);
  });
});

describe('checkRedirectUri', () => {
  it.each([
    ['https://vendor.example/cb', undefined],
    ['https://vendor.example:8443/cb?tenant=1', undefined],
    ['http://127.0.0.1:6021/callback', undefined],
    ['http://[::1]:6021/callback', undefined],
    ['http://localhost/callback', undefined],
    ['http://vendor.example/cb', /not https/],
    ['http://127.0.0.2/cb', /not https/],
    ['ftp://vendor.example/cb', /not https/],
    ['ftp://127.0.0.1/cb', /not https/],
    ['https://127.0.0.1/cb', undefined],
    ['javascript:alert(1)', /not https/],
    ['https://vendor.example/cb#frag', /fragment/],
    ['https://vendor.example/cb#', /fragment/],
    ['https://user@vendor.example/cb', /user name or password/],
    ['https://:pw@vendor.example/cb', /user name or password/],
    ['vendor.example/cb', /not an absolute URL/],
  ])('%s', (uri, expected) => {
    const wrong = checkRedirectUri(uri);
    if (expected === undefined) expect(wrong).toBeUndefined();
    else {
      expect(wrong?.message).toMatch(expected);
      expect(wrong?.fix.length).toBeGreaterThan(10);
    }
  });
});
