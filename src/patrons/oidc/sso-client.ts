import * as client from 'openid-client';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { SsoClientSettings } from '../../settings/sso-settings.ts';
import { readClaim, type Claims } from './read-claim.ts';
import type { StaffClaim } from './match-staff-claim.ts';

/** What a browser's sign-in must come back with: kept in the sealed flow cookie between the two legs. */
export interface SsoChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** The provider's answer, verified: the subject and every claim the mapping may read. */
export interface SsoIdentity {
  readonly sub: string;
  readonly claims: Claims;
}

/**
 * The gateway as a relying party of the library's OpenID Connect provider (openid-client):
 * authorization code flow with PKCE (S256), state and nonce; ID token verified against the
 * provider's keys, issuer, audience, nonce and times; userinfo read only when the claims the
 * gateway needs are not in the ID token.
 */
export interface SsoClient {
  /** "Sign in with <name>". */
  readonly name: string;
  readonly issuer: string;
  readonly staffClaim: StaffClaim | undefined;
  /** Reads the provider's discovery document now; boot reports a failure as a warning (sign-in retries). */
  discover(): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>;
  /** Where to send the browser, and the checks its return must pass. Rejects with sso_unavailable when the provider cannot be reached. */
  begin(): Promise<{ readonly url: string; readonly checks: SsoChecks }>;
  /** Verifies the browser's return (the callback URL) and redeems the code. Rejects with sso_denied, sso_failed or sso_unavailable. */
  finish(callbackUrl: URL, checks: SsoChecks): Promise<SsoIdentity>;
}

export interface SsoClientOptions {
  readonly settings: SsoClientSettings;
  readonly clientSecret: string;
  /** The gateway's callback URL, as registered at the provider. */
  readonly redirectUri: string;
  /** Claims (names or dotted paths) the gateway reads: userinfo is asked when one is not in the ID token. */
  readonly neededClaims: ReadonlyArray<string>;
}

export function createSsoClient(options: SsoClientOptions): SsoClient {
  const { settings } = options;
  const issuer = new URL(settings.issuer);
  let configuration: Promise<client.Configuration> | undefined;

  /** The provider's configuration, discovered once; a failed discovery is forgotten so the next sign-in tries again. */
  function configure(): Promise<client.Configuration> {
    configuration ??= client
      .discovery(issuer, settings.clientId, undefined, client.ClientSecretBasic(options.clientSecret), {
        timeout: Math.ceil(settings.timeoutMs / 1000),
        ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  }

  return {
    name: settings.name,
    issuer: settings.issuer,
    staffClaim: settings.staffClaim,
    async discover() {
      try {
        await configure();
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: describeFailure(error) };
      }
    },
    async begin() {
      let config: client.Configuration;
      try {
        config = await configure();
      } catch (error) {
        throw new GatewayError('sso_unavailable', { detail: describeFailure(error), cause: error });
      }
      const checks: SsoChecks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        response_type: 'code',
        scope: settings.scopes.join(' '),
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, checks };
    },
    async finish(callbackUrl, checks) {
      let config: client.Configuration;
      try {
        config = await configure();
      } catch (error) {
        throw new GatewayError('sso_unavailable', { detail: describeFailure(error), cause: error });
      }
      try {
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true });
        const idClaims = tokens.claims();
        if (idClaims === undefined) throw new GatewayError('sso_failed', { detail: 'no_id_token' });
        const sub = idClaims.sub;
        const missing = options.neededClaims.some((name) => readClaim(idClaims, name) === undefined);
        const userinfo = missing && config.serverMetadata().userinfo_endpoint !== undefined ? await client.fetchUserInfo(config, tokens.access_token, sub) : {};
        return { sub, claims: { ...userinfo, ...idClaims } };
      } catch (error) {
        throw classifyFailure(error);
      }
    },
  };
}

/** What went wrong, for the operators' log: an error code or a kind, never a message that could hold a URL or a value. */
function describeFailure(error: unknown): string {
  if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) return sanitizeCode(error.error);
  if (error instanceof client.ClientError) return sanitizeCode(error.code ?? 'client_error');
  // fetch itself failed: refused, reset, no route, bad TLS.
  if (error instanceof TypeError) return 'provider_unreachable';
  return 'unexpected';
}

function sanitizeCode(code: string): string {
  return /^[A-Za-z0-9_]{1,64}$/.test(code) ? code : 'unrecognised_code';
}

/** openid-client's codes for a provider that timed out or answered with something that is not an OAuth answer (a 5xx page, a captive portal). */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['OAUTH_TIMEOUT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/** The provider cannot be reached, timed out, or did not answer as a provider. */
function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof client.ClientError && UNREACHABLE_CODES.has(error.code ?? ''));
}

/** A failed return as the gateway's error: the patron declined (sso_denied), the provider is down (sso_unavailable), anything else refused (sso_failed). */
function classifyFailure(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const detail = describeFailure(error);
  if (error instanceof client.AuthorizationResponseError && error.error === 'access_denied') return new GatewayError('sso_denied', { detail, cause: error });
  if (isUnreachable(error)) return new GatewayError('sso_unavailable', { detail, cause: error });
  return new GatewayError('sso_failed', { detail, cause: error });
}
