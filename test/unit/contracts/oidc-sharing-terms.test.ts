import { describe, expect, it } from 'vitest';
import { diffContracts } from '../../../src/contracts/diff-contracts.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

const FIELDS = 'fields: { patronId: { action: pseudonymize }, firstName: { action: pass }, birthDate: { action: generalize, to: ageBand } }';
const oidc = (client: string, fields = FIELDS) => compileOrThrow(contractYaml({ upstream: '', identity: `identity: { delivery: oidc, oidc: { ${client} } }`, fields }));
const BASE = 'clientId: c1, redirectUris: ["https://v.example/cb"], clientSecret: { env: S }';

describe('oidc sharing terms: what a change to identity.oidc means for patrons', () => {
  it.each([
    ['a redirect URI added widens (a new place the sign-in, and the view, can reach)', BASE, 'clientId: c1, redirectUris: ["https://v.example/cb", "https://other.example/cb"], clientSecret: { env: S }', 'identity.oidc.redirectUris', 'wider', /may now return to https:\/\/other.example\/cb/, true],
    ['a redirect URI removed narrows', 'clientId: c1, redirectUris: ["https://v.example/cb", "https://other.example/cb"], clientSecret: { env: S }', BASE, 'identity.oidc.redirectUris', 'narrower', /^sign-ins may return to fewer addresses$/, true],
    ['redirect URIs written in another order change nothing', 'clientId: c1, redirectUris: ["https://a.example/cb", "https://b.example/cb"], clientSecret: { env: S }', 'clientId: c1, redirectUris: ["https://b.example/cb", "https://a.example/cb"], clientSecret: { env: S }', undefined, undefined, /./, false],
    ['a new client id is listed (neutral), not asked again', BASE, 'clientId: c2, redirectUris: ["https://v.example/cb"], clientSecret: { env: S }', 'identity.oidc.clientId', 'neutral', /client id/, false],
    ['keys instead of a secret are listed (neutral), not asked again', BASE, 'clientId: c1, redirectUris: ["https://v.example/cb"], jwks: { keys: [{ kty: OKP, crv: Ed25519, x: 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo }] }', 'identity.oidc.auth', 'neutral', /authenticates/, false],
    ['more scopes are listed (neutral): they never change the claims', BASE, `${BASE}, scopes: [openid, profile, email]`, 'identity.oidc.scopes', 'neutral', /never change the claims/, false],
    ['a new secret source changes nothing for patrons', BASE, 'clientId: c1, redirectUris: ["https://v.example/cb"], clientSecret: { file: other.secret }', undefined, undefined, /./, false],
  ])('%s', (_name, before, after, path, direction, meaning, asksAgain) => {
    const diff = diffContracts(oidc(before), oidc(after));
    if (path === undefined) {
      expect(diff.changes).toEqual([]);
      return;
    }
    const change = diff.changes.find((c) => c.path === path);
    expect(change?.direction).toBe(direction);
    expect(change?.meaning).toMatch(meaning);
    expect(diff.noticeVersionChanged).toBe(asksAgain);
  });

  it('a claim carried under another name is listed, and asks patrons again', () => {
    const diff = diffContracts(oidc(BASE), oidc(BASE, FIELDS.replace('to: ageBand }', 'to: ageBand, as: age_group }')));
    expect(diff.changes.find((c) => c.path === 'identity.oidc.claims')).toEqual({ path: 'identity.oidc.claims', before: 'sub=sub, given_name=firstName, ageBand=ageBand', after: 'sub=sub, given_name=firstName, age_group=age_group', direction: 'neutral', meaning: 'the ID token claims that carry the vendor view' });
    expect(diff.noticeVersionChanged).toBe(true);
  });

  it('describes several redirect URIs sorted, and names every one added (sorted, as every set-valued term)', () => {
    const diff = diffContracts(oidc(BASE), oidc('clientId: c1, redirectUris: ["https://v.example/cb", "https://b.example/cb", "https://a.example/cb"], clientSecret: { env: S }'));
    expect(diff.changes.find((c) => c.path === 'identity.oidc.redirectUris')).toMatchObject({ before: 'https://v.example/cb', after: 'https://a.example/cb, https://b.example/cb, https://v.example/cb', meaning: 'sign-ins may now return to https://a.example/cb, https://b.example/cb' });
    const scopes = diffContracts(oidc(BASE), oidc(`${BASE}, scopes: [openid, email]`)).changes.find((c) => c.path === 'identity.oidc.scopes');
    expect(scopes).toMatchObject({ before: 'openid', after: 'openid email' });
  });

  it('names an address member by its place in address', () => {
    const diff = diffContracts(oidc(BASE), oidc(BASE, `${FIELDS.slice(0, -2)}, address.city: { action: pass } }`));
    expect(diff.changes.find((c) => c.path === 'identity.oidc.claims')?.after).toBe('sub=sub, given_name=firstName, address.locality=city, ageBand=ageBand');
  });

  it.each([
    ['identity.oidc.clientId', 'clientId: c2, redirectUris: ["https://v.example/cb"], clientSecret: { env: S }', 'the client id the vendor signs in with'],
    ['identity.oidc.auth', 'clientId: c1, redirectUris: ["https://v.example/cb"], jwks: { keys: [{ kty: OKP, crv: Ed25519, x: 11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo }] }', "how the vendor's client authenticates (a secret, or its own keys)"],
    ['identity.oidc.scopes', `${BASE}, scopes: [openid, email]`, 'the scopes the vendor may ask for (they never change the claims)'],
  ])('says what a change of %s means', (path, after, meaning) => {
    expect(diffContracts(oidc(BASE), oidc(after)).changes.find((c) => c.path === path)?.meaning).toBe(meaning);
  });

  it('from jwt to oidc: the sign-in token terms appear (from "(none)")', () => {
    const diff = diffContracts(compileOrThrow(contractYaml()), oidc(BASE, 'fields: { patronId: { action: pseudonymize, as: sub } }'));
    expect(diff.changes.find((c) => c.path === 'identity.delivery')).toMatchObject({ before: 'jwt', after: 'oidc', direction: 'neutral', meaning: 'the vendor view will be sent by oidc' });
    expect(diff.changes.find((c) => c.path === 'identity.oidc.redirectUris')).toMatchObject({ before: '(none)', after: 'https://v.example/cb', direction: 'wider' });
    expect(diff.changes.find((c) => c.path === 'identity.oidc.claims')).toMatchObject({ before: '(none)', after: 'sub=sub' });
    expect(diff.changes.find((c) => c.path === 'identity.oidc.clientId')).toMatchObject({ before: '(none)', after: 'c1' });
  });

  it('from oidc to none: the redirect URIs go (narrower), the claims and client go', () => {
    const none = compileOrThrow(contractYaml({ identity: 'identity: { delivery: none }', fields: '' }));
    const diff = diffContracts(oidc(BASE), none);
    expect(diff.changes.find((c) => c.path === 'identity.oidc.redirectUris')).toMatchObject({ after: '(none)', direction: 'narrower' });
    expect(diff.changes.find((c) => c.path === 'identity.oidc.claims')).toMatchObject({ after: '(none)' });
    expect(diff.changes.find((c) => c.path === 'identity.oidc.auth')).toMatchObject({ before: 'client_secret_basic', after: '(none)' });
  });
});
