import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** One account at the library's provider: its `sub` and the claims the provider knows about the person. */
export interface LibraryAccount {
  readonly sub: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** A client IT registers at the provider for the gateway. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: ReadonlyArray<string>;
}

export interface LibraryProvider {
  /** The issuer identifier (http://127.0.0.1:PORT). */
  readonly issuer: string;
  /** Registers a client (after the gateway's URL is known: clients live in the provider's adapter). */
  register(client: RegisteredClient): void;
  /** Stops answering (connections refused): the provider is down. */
  stop(): Promise<void>;
}

/** Scope -> the claims it releases (standard OIDC ones plus the library's own). */
const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['given_name', 'family_name', 'birthdate', 'locale'],
  email: ['email', 'email_verified'],
  phone: ['phone_number'],
  address: ['address'],
  library: ['library_card', 'patron_type', 'home_branch', 'groups', 'library_consents'],
};

/**
 * The library's single sign-on in a test: a real `oidc-provider` on loopback with generated
 * signing keys, its development login and consent pages (any account id signs in), and the test's
 * accounts with canary claims. Clients are read from an in-memory adapter so the gateway can be
 * registered once its port is known.
 */
export async function startLibraryProvider(accounts: ReadonlyArray<LibraryAccount>): Promise<LibraryProvider> {
  const store = new Map<string, Record<string, unknown>>();
  const key = (model: string, id: string): string => `${model}:${id}`;
  class MemoryAdapter {
    readonly model: string;
    constructor(model: string) {
      this.model = model;
    }
    async upsert(id: string, payload: Record<string, unknown>): Promise<void> {
      store.set(key(this.model, id), payload);
      if (typeof payload['uid'] === 'string') store.set(key(`${this.model}:uid`, payload['uid']), { id });
    }
    async find(id: string): Promise<Record<string, unknown> | undefined> {
      return store.get(key(this.model, id));
    }
    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      const ref = store.get(key(`${this.model}:uid`, uid));
      return ref ? store.get(key(this.model, String(ref['id']))) : undefined;
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = store.get(key(this.model, id));
      if (payload) payload['consumed'] = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      store.delete(key(this.model, id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [k, v] of store) if (v['grantId'] === grantId) store.delete(k);
    }
  }

  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'library-test-key', alg: 'ES256', use: 'sig' };
  const byId = new Map(accounts.map((account) => [account.sub, account]));
  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    jwks: { keys: [jwk] },
    claims: SCOPE_CLAIMS,
    scopes: ['openid', 'profile', 'email', 'phone', 'address', 'library'],
    cookies: { keys: ['library-provider-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    ttl: { AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    async findAccount(_ctx, sub) {
      const account = byId.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
    },
  });
  // Its development pages say so on standard error once; the tests have no use for the noise.
  provider.on('server_error', () => {});
  handler = provider.callback();
  return {
    issuer,
    register(client) {
      store.set(key('Client', client.clientId), {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [...client.redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
