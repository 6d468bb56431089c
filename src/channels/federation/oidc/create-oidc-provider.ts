import Provider, { interactionPolicy, type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { AssertionKey } from '../../../settings/assertion-keys.ts';
import type { OidcClientSetup } from '../../../settings/resolve-oidc-clients.ts';
import { OIDC_SCOPES } from '../../../policy/oidc-claim-names.ts';
import type { OidcMemoryStore } from './oidc-memory-store.ts';

/** Lifetimes, in seconds: a code is redeemed at once, a sign-in finishes within minutes, nothing is kept longer. */
export const OIDC_LIFETIMES = Object.freeze({ AuthorizationCode: 60, IdToken: 300, AccessToken: 60, Interaction: 600, Session: 600, Grant: 600 });

/** oidc-provider's own cookies: names that cannot collide with the gateway's (`gw_*`, `__Host-gw_*`, `vc.*`). */
export const OIDC_COOKIES = Object.freeze({ session: 'oidc.session', interaction: 'oidc.interaction', resume: 'oidc.resume' });

/** Where the provider sends the browser for an interaction (the gateway's own pages take over there). */
export function interactionPath(uid: string): string {
  return `/oidc/interaction/${uid}`;
}

export interface OidcProviderDeps {
  /** `{publicUrl}/oidc`. */
  readonly issuer: string;
  readonly clients: ReadonlyArray<OidcClientSetup>;
  /** The oidc contracts, by vendor id. */
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  /** The gateway's assertion keys: the first signs ID tokens, all are published at /oidc/jwks. */
  readonly keys: ReadonlyArray<AssertionKey>;
  readonly store: OidcMemoryStore;
  /** Signs oidc-provider's cookies (derived from the session key: every node derives the same). */
  readonly cookieKey: string;
  /** The gateway's error page in place of oidc-provider's: no URL, host or request value is echoed. */
  readonly renderError: NonNullable<Configuration['renderError']>;
}

/**
 * The OpenID Connect provider: the authorization code flow with PKCE (S256) and nothing else. No
 * dynamic registration, no implicit or hybrid flow, no userinfo, introspection, revocation, device
 * flow, PAR, DPoP, refresh tokens or logout pages. Every client comes from a contract; the subject
 * is pairwise (the vendor's pseudonym, put in `sub` by the release); every ID token carries the
 * release's claims under the `openid` scope, whatever other scopes or claims the client asks for,
 * so no scope can add or remove a claim. Every sign-in goes through the gateway's interaction,
 * even when oidc-provider holds a session: the patron's session, the minors rules and the notice
 * are checked each time.
 */
export function createOidcProvider(deps: OidcProviderDeps): Provider {
  const signing = deps.keys[0];
  if (signing === undefined) throw new Error('the OpenID Connect provider needs an assertion signing key');
  const clients: ClientMetadata[] = deps.clients.map((client) => {
    const contract = deps.contracts.get(client.vendorId);
    const oidc = contract?.identity.oidc;
    if (oidc === undefined) throw new Error(`no oidc contract for client ${client.clientId}`);
    return {
      client_id: client.clientId,
      ...(client.secret !== undefined ? { client_secret: client.secret, token_endpoint_auth_method: 'client_secret_basic' } : { jwks: { keys: client.jwks?.keys.map((key) => ({ ...key })) ?? [] }, token_endpoint_auth_method: 'private_key_jwt' }),
      redirect_uris: [...oidc.redirectUris],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      scope: oidc.scopes.join(' '),
      subject_type: 'pairwise',
      id_token_signed_response_alg: signing.alg,
    } as ClientMetadata;
  });
  // Every claim any contract can release, all under `openid`: what a token carries is decided by the release alone.
  const claimNames = new Set<string>(['sub']);
  for (const contract of deps.contracts.values()) {
    for (const claim of contract.identity.oidc?.claims ?? []) claimNames.add('claim' in claim.place ? claim.place.claim : 'address');
  }
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(new interactionPolicy.Check('gateway_checks_every_sign_in', 'the gateway checks the patron on every sign-in', (ctx) => ctx.oidc.result?.login === undefined));
  const configuration: Configuration = {
    adapter: deps.store.adapterFor,
    clients,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    jwks: { keys: deps.keys.map((key) => ({ ...key.privateJwk })) as NonNullable<Configuration['jwks']>['keys'] },
    enabledJWA: {
      idTokenSigningAlgValues: [...new Set(deps.keys.map((key) => key.alg))],
      clientAuthSigningAlgValues: ['ES256', 'EdDSA', 'PS256', 'RS256'],
    },
    findAccount: (ctx: KoaContextWithOIDC, id: string) => {
      const release = deps.store.findRelease(id);
      // A release is made for one client: no other client can redeem it.
      if (release === undefined || release.clientId !== ctx.oidc.client?.clientId) return undefined;
      return { accountId: id, claims: () => ({ ...release.claims, sub: id }) };
    },
    // The pairwise subject is the vendor's pseudonym the release holds (the account id is the release's own random id).
    pairwiseIdentifier: (_ctx: KoaContextWithOIDC, accountId: string) => {
      const sub = deps.store.findRelease(accountId)?.claims.sub;
      if (sub === undefined) throw new Error('no release for this sign-in');
      return sub;
    },
    subjectTypes: ['pairwise'],
    scopes: [...OIDC_SCOPES],
    claims: { openid: [...claimNames], profile: [], email: [], address: [], phone: [] },
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    issueRefreshToken: () => false,
    // A code outlives the provider session it was made in (the next sign-in in this browser ends
    // that session); it is still single use and lives 60 seconds.
    expiresWithSession: () => false,
    // The token endpoint is for the vendor's server: no browser-based client may call it cross-origin.
    clientBasedCORS: () => false,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      dPoP: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      registration: { enabled: false },
      deviceFlow: { enabled: false },
      claimsParameter: { enabled: false },
      clientCredentials: { enabled: false },
      requestObjects: { enabled: false },
      backchannelLogout: { enabled: false },
    },
    cookies: {
      names: { ...OIDC_COOKIES },
      keys: [deps.cookieKey],
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    ttl: { ...OIDC_LIFETIMES },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid), policy },
    renderError: deps.renderError,
  };
  const provider = new Provider(deps.issuer, configuration);
  // The gateway's node handler pins X-Forwarded-Proto and -Host to the public URL before a request gets here.
  provider.proxy = true;
  return provider;
}
