import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../src/errors/gateway-error.ts';
import { createSsoClient, type SsoClient } from '../../../../src/patrons/oidc/sso-client.ts';
import { startScriptedProvider, type ScriptedProvider } from '../../../helpers/scripted-oidc-provider.ts';

const CLIENT = { clientId: 'privacy-gateway', clientSecret: 'sso-client-unit-secret-0000000000001' };
const SUB = 'unit-sub-1';
const REDIRECT = 'http://127.0.0.1:9/login/oidc/callback';

let provider: ScriptedProvider;
/** Accepts connections and never answers. */
let silent: Server;
const sockets: Socket[] = [];

beforeAll(async () => {
  provider = await startScriptedProvider(CLIENT, SUB, { account: { idToken: { given_name: 'Ada' }, userinfo: { email: 'ada@library.example', groups: ['it'] } } });
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await provider.close();
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

function clientFor(issuer: string, neededClaims: string[] = [], timeoutMs = 5000): SsoClient {
  return createSsoClient({ settings: { name: 'Unit Library', issuer, clientId: CLIENT.clientId, clientSecret: { env: 'X' }, scopes: ['openid', 'profile'], timeoutMs, staffClaim: { claim: 'groups', values: ['it'] } }, clientSecret: CLIENT.clientSecret, redirectUri: REDIRECT, neededClaims });
}

/** The browser's round trip: begin, the provider's redirect back, finish. */
async function roundTrip(client: SsoClient, change?: (callback: URL) => void) {
  const { url, checks } = await client.begin();
  const answer = await fetch(url, { redirect: 'manual' });
  const callback = new URL(answer.headers.get('location') ?? '');
  change?.(callback);
  return client.finish(callback, checks);
}

/** The GatewayError a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; detail: string | undefined }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return { code: error.code, detail: error.detail };
}

describe('the SSO client', () => {
  it('names itself and its provider as configured', () => {
    const client = clientFor(provider.issuer);
    expect({ name: client.name, issuer: client.issuer, staffClaim: client.staffClaim }).toEqual({ name: 'Unit Library', issuer: provider.issuer, staffClaim: { claim: 'groups', values: ['it'] } });
  });

  it('asks for the configured scopes with the code flow, PKCE S256, state and nonce, to the registered redirect URI', async () => {
    const { url, checks } = await clientFor(provider.issuer).begin();
    const asked = new URL(url).searchParams;
    expect(Object.fromEntries(asked)).toEqual({
      client_id: CLIENT.clientId,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid profile',
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
    });
    expect(checks.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('reads no userinfo when every claim needed is in the ID token', async () => {
    const before = provider.userinfoRequests;
    const identity = await roundTrip(clientFor(provider.issuer, ['given_name']));
    expect(identity.sub).toBe(SUB);
    expect(identity.claims['given_name']).toBe('Ada');
    expect(identity.claims['email']).toBeUndefined();
    expect(provider.userinfoRequests).toBe(before);
  });

  it('reads userinfo when one claim needed is not in the ID token, and merges it under the ID token', async () => {
    const before = provider.userinfoRequests;
    const identity = await roundTrip(clientFor(provider.issuer, ['given_name', 'email']));
    expect(identity.claims).toMatchObject({ sub: SUB, given_name: 'Ada', email: 'ada@library.example', groups: ['it'] });
    expect(provider.userinfoRequests).toBe(before + 1);
  });

  it('discover() reports a provider that answers', async () => {
    expect(await clientFor(provider.issuer).discover()).toEqual({ ok: true });
  });

  const refused: ReadonlyArray<{ name: string; misbehaviour: Parameters<ScriptedProvider['misbehave']>[0]; code: string; detail: string }> = [
    { name: 'access_denied at the provider is sso_denied', misbehaviour: { callbackError: 'access_denied' }, code: 'sso_denied', detail: 'access_denied' },
    { name: 'any other error at the provider is sso_failed, not a denial', misbehaviour: { callbackError: 'login_required' }, code: 'sso_failed', detail: 'login_required' },
    { name: 'an error code with characters outside [A-Za-z0-9_] is not logged as sent', misbehaviour: { callbackError: '!!!bad' }, code: 'sso_failed', detail: 'unrecognised_code' },
    { name: 'an error code ending badly is not logged as sent either', misbehaviour: { callbackError: 'bad!!!' }, code: 'sso_failed', detail: 'unrecognised_code' },
    { name: 'an error code longer than 64 characters is not logged', misbehaviour: { callbackError: 'x'.repeat(65) }, code: 'sso_failed', detail: 'unrecognised_code' },
    { name: 'an error code of 64 characters is logged', misbehaviour: { callbackError: 'x'.repeat(64) }, code: 'sso_failed', detail: 'x'.repeat(64) },
    { name: 'a token answer without an ID token is refused (an ID token is required)', misbehaviour: { omitIdToken: true }, code: 'sso_failed', detail: 'OAUTH_INVALID_RESPONSE' },
    { name: 'a refused code (invalid_grant) is sso_failed', misbehaviour: { tokenAnswer: { status: 400, body: { error: 'invalid_grant' } } }, code: 'sso_failed', detail: 'invalid_grant' },
    { name: 'a 5xx page from the token endpoint is sso_unavailable', misbehaviour: { tokenStatus: 502 }, code: 'sso_unavailable', detail: 'OAUTH_RESPONSE_IS_NOT_CONFORM' },
    { name: 'a 200 page that is not JSON (a captive portal) is sso_unavailable', misbehaviour: { tokenStatus: 200 }, code: 'sso_unavailable', detail: 'OAUTH_RESPONSE_IS_NOT_JSON' },
    { name: 'a JSON answer that is no OAuth answer (a 503 with {}) is sso_unavailable', misbehaviour: { tokenAnswer: { status: 503, body: {} } }, code: 'sso_unavailable', detail: 'OAUTH_RESPONSE_IS_NOT_CONFORM' },
  ];
  it.each(refused)('$name', async ({ misbehaviour, code, detail }) => {
    provider.misbehave(misbehaviour);
    try {
      expect(await refusal(roundTrip(clientFor(provider.issuer)))).toEqual({ code, detail });
    } finally {
      provider.misbehave({});
    }
  });

  it('an answer handed to another sign-in (its state) is sso_failed', async () => {
    expect(await refusal(roundTrip(clientFor(provider.issuer), (callback) => callback.searchParams.set('state', 'other')))).toEqual({ code: 'sso_failed', detail: 'OAUTH_INVALID_RESPONSE' });
  });

  it('a provider that is down: begin and finish are sso_unavailable (provider_unreachable), discover says so', async () => {
    const down = clientFor('http://127.0.0.1:9');
    expect(await down.discover()).toEqual({ ok: false, reason: 'provider_unreachable' });
    expect(await refusal(down.begin())).toEqual({ code: 'sso_unavailable', detail: 'provider_unreachable' });
    expect(await refusal(down.finish(new URL(`${REDIRECT}?code=x&state=y`), { state: 'y', nonce: 'n', codeVerifier: 'v' }))).toEqual({ code: 'sso_unavailable', detail: 'provider_unreachable' });
  });

  it('a provider that never answers: timed out after timeoutMs (discovery), sso_unavailable', async () => {
    const silentIssuer = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    expect(await clientFor(silentIssuer, [], 500).discover()).toEqual({ ok: false, reason: 'OAUTH_TIMEOUT' });
    expect(await refusal(clientFor(silentIssuer, [], 500).begin())).toEqual({ code: 'sso_unavailable', detail: 'OAUTH_TIMEOUT' });
  });

  it('a token endpoint that never answers: timed out, sso_unavailable (not a refusal of the patron)', async () => {
    const client = clientFor(provider.issuer, [], 500);
    await client.discover();
    provider.misbehave({ tokenHang: true });
    try {
      expect(await refusal(roundTrip(client))).toEqual({ code: 'sso_unavailable', detail: 'OAUTH_TIMEOUT' });
    } finally {
      provider.misbehave({});
    }
  });

  it('a discovery document naming another issuer is refused, and tried again at the next sign-in', async () => {
    provider.misbehave({ discoveryIssuer: 'http://127.0.0.1:1/someone-else' });
    const client = clientFor(provider.issuer);
    try {
      expect(await client.discover()).toEqual({ ok: false, reason: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' });
      expect(await refusal(client.begin())).toEqual({ code: 'sso_unavailable', detail: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' });
    } finally {
      provider.misbehave({});
    }
    expect(await client.discover()).toEqual({ ok: true });
  });
});
