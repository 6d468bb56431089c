import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** How the scripted provider misbehaves in its answers (each undefined: it behaves). */
export interface ProviderMisbehaviour {
  /** The ID token's `iss`. */
  idTokenIssuer?: string;
  /** The ID token's `aud` (a token made for another client). */
  audience?: string;
  /** The ID token's `nonce`. */
  nonce?: string;
  /** The `iss` parameter of the redirect back (RFC 9207). */
  callbackIssuer?: string;
  /** The token endpoint answers with this HTTP status and no OAuth body (a provider falling over). */
  tokenStatus?: number;
  /** The token endpoint answers with this status and JSON body instead. */
  tokenAnswer?: { status: number; body: unknown };
  /** The token endpoint leaves the ID token out. */
  omitIdToken?: boolean;
  /** The redirect back carries this OAuth error instead of a code. */
  callbackError?: string;
  /** The token endpoint never answers. */
  tokenHang?: boolean;
  /** The discovery document names this issuer instead of its own. */
  discoveryIssuer?: string;
}

export interface ScriptedAccount {
  /** Claims the ID token carries besides the protocol's own. */
  readonly idToken?: Readonly<Record<string, unknown>>;
  /** What the userinfo endpoint answers besides `sub`. */
  readonly userinfo?: Readonly<Record<string, unknown>>;
}

export interface ScriptedProvider {
  readonly issuer: string;
  /** Set before a sign-in: how the next answers misbehave. */
  misbehave(next: ProviderMisbehaviour): void;
  /** Token requests received (the gateway redeeming codes). */
  readonly tokenRequests: number;
  /** Userinfo requests received. */
  readonly userinfoRequests: number;
  close(): Promise<void>;
}

/**
 * A hand-written OpenID Connect provider for the refusal cases a certified provider will not
 * produce: ID tokens signed with its real (generated) key but naming another issuer, another
 * audience or another nonce, and a wrong `iss` on the redirect back. It checks what it is sent
 * (client secret, PKCE) like a real one, and signs the person in at once (no pages).
 */
export async function startScriptedProvider(client: { clientId: string; clientSecret: string }, sub: string, options: { port?: number; account?: ScriptedAccount } = {}): Promise<ScriptedProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'scripted-1', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string }>();
  let misbehaviour: ProviderMisbehaviour = {};
  let tokenRequests = 0;
  let userinfoRequests = 0;
  const accessTokens = new Set<string>();
  let issuer = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: misbehaviour.discoveryIssuer ?? issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        userinfo_endpoint: `${issuer}/userinfo`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/userinfo') {
      userinfoRequests++;
      if (!accessTokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return json(401, { error: 'invalid_token' });
      return json(200, { sub, ...options.account?.userinfo });
    }
    if (url.pathname === '/authorize') {
      const code = randomBytes(16).toString('base64url');
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '', challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
      const back = new URL(redirectUri);
      if (misbehaviour.callbackError !== undefined) back.searchParams.set('error', misbehaviour.callbackError);
      else back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      back.searchParams.set('iss', misbehaviour.callbackIssuer ?? issuer);
      res.writeHead(303, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      tokenRequests++;
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const form = new URLSearchParams(text);
      if (misbehaviour.tokenHang) return;
      if (misbehaviour.tokenStatus !== undefined) return res.writeHead(misbehaviour.tokenStatus, { 'content-type': 'text/html' }).end('<h1>down</h1>');
      if (misbehaviour.tokenAnswer !== undefined) return json(misbehaviour.tokenAnswer.status, misbehaviour.tokenAnswer.body);
      // client_secret_basic: both parts form-urlencoded, then base64 (RFC 6749 2.3.1).
      const [id = '', secret = ''] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part.replaceAll('+', ' ')));
      if (id !== client.clientId || secret !== client.clientSecret) return json(401, { error: 'invalid_client' });
      const issued = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (!issued || issued.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) return json(400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const idToken = await new SignJWT({ ...options.account?.idToken, nonce: misbehaviour.nonce ?? issued.nonce })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
        .setIssuer(misbehaviour.idTokenIssuer ?? issuer)
        .setAudience(misbehaviour.audience ?? client.clientId)
        .setSubject(sub)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);
      const accessToken = randomBytes(16).toString('base64url');
      accessTokens.add(accessToken);
      return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, ...(misbehaviour.omitIdToken ? {} : { id_token: idToken }) });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get issuer() {
      return issuer;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    get userinfoRequests() {
      return userinfoRequests;
    },
    misbehave(next) {
      misbehaviour = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
