import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSsoClients, type LoadSsoOptions } from '../../../../src/patrons/oidc/load-sso-clients.ts';
import type { SsoClient } from '../../../../src/patrons/oidc/sso-client.ts';
import { startScriptedProvider, type ScriptedProvider } from '../../../helpers/scripted-oidc-provider.ts';

const SECRET = 'load-sso-unit-secret-00000000000001';
let provider: ScriptedProvider;

beforeAll(async () => {
  provider = await startScriptedProvider({ clientId: 'gateway', clientSecret: SECRET }, 'sub-1', { account: { userinfo: { groups: ['it'], email: 'ada@library.example' } } });
});
afterAll(async () => provider.close());

const client = (issuer: string, env = 'SSO_SECRET') => ({ name: 'Library', issuer, clientId: 'gateway', clientSecret: { env }, scopes: ['openid'], timeoutMs: 1000 });
const load = (options: Partial<LoadSsoOptions>) => loadSsoClients({ file: 'gateway.yaml', publicUrl: 'https://gateway.library.test', env: { SSO_SECRET: SECRET }, ...options });

/** What the client's sign-in comes back with: the claims after the provider's round trip. */
async function claimsThrough(sso: SsoClient): Promise<Record<string, unknown>> {
  const { url, checks } = await sso.begin();
  const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
  return { ...(await sso.finish(back, checks)).claims };
}

describe('loadSsoClients', () => {
  it('makes no client when neither is configured', async () => {
    expect(await load({})).toEqual({ setup: {}, problems: [], warnings: [] });
  });

  it('registers each client at its own callback under the public URL', async () => {
    const { setup } = await load({ patrons: { ...client(provider.issuer), claims: {} }, staff: { ...client(provider.issuer), staffClaim: { claim: 'groups', values: ['it'] } } });
    expect(new URL((await setup.patrons!.begin()).url).searchParams.get('redirect_uri')).toBe('https://gateway.library.test/login/oidc/callback');
    expect(new URL((await setup.staff!.begin()).url).searchParams.get('redirect_uri')).toBe('https://gateway.library.test/staff/login/oidc/callback');
  });

  it('the staff client reads the staff claim from userinfo when the ID token lacks it', async () => {
    const { setup } = await load({ staff: { ...client(provider.issuer), staffClaim: { claim: 'groups', values: ['it'] } } });
    expect((await claimsThrough(setup.staff!))['groups']).toEqual(['it']);
  });

  it.each([
    ['a mapped claim', { claims: { email: 'email' } }, 'email'],
    ['the staff claim', { claims: {}, staffClaim: { claim: 'groups', values: ['it'] } }, 'groups'],
  ])('the patron client reads userinfo for %s missing from the ID token', async (_name, extra, claim) => {
    const { setup } = await load({ patrons: { ...client(provider.issuer), ...extra } });
    expect((await claimsThrough(setup.patrons!))[claim]).toBeDefined();
  });

  it('the patron client reads no userinfo when it needs no claim', async () => {
    const { setup } = await load({ patrons: { ...client(provider.issuer), claims: {} } });
    const before = provider.userinfoRequests;
    expect((await claimsThrough(setup.patrons!))['groups']).toBeUndefined();
    expect(provider.userinfoRequests).toBe(before);
  });

  it.each([
    ['patrons', 'patrons.oidc.clientSecret'],
    ['staff', 'admin.sso.clientSecret'],
  ] as const)('a %s client whose secret is missing is a problem at its path, and no client', async (which, path) => {
    const settings = { ...client(provider.issuer, 'NOT_SET'), claims: {}, staffClaim: { claim: 'groups', values: ['it'] } };
    const result = await load({ [which]: settings });
    expect(result.problems).toEqual([{ file: 'gateway.yaml', path, message: 'environment variable NOT_SET is not set', fix: expect.stringContaining('client secret IT registered') }]);
    expect(result.setup).toEqual({});
  });

  it.each([
    ['patrons', 'patrons.oidc.issuer'],
    ['staff', 'admin.sso.issuer'],
  ] as const)('a %s provider that does not answer is a warning at its issuer, and the client is still made', async (which, path) => {
    const result = await load({ [which]: { ...client('http://127.0.0.1:9'), claims: {}, staffClaim: { claim: 'groups', values: ['it'] } } });
    expect(result.problems).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ file: 'gateway.yaml', path });
    expect(result.warnings[0]?.message).toContain('(provider_unreachable)');
    expect(result.setup[which]).toBeDefined();
  });
});
