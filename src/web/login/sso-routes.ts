import { Router, type Request, type Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.ts';
import { gatewayCookieName, serializeCookie, SESSION_COOKIE, STAFF_SESSION_COOKIE } from '../../lib/cookies.ts';
import { PATRON_SSO_CALLBACK, STAFF_SSO_CALLBACK } from '../../patrons/oidc/load-sso-clients.ts';
import { mapClaims, type ClaimMapping } from '../../patrons/oidc/map-claims.ts';
import { matchStaffClaim } from '../../patrons/oidc/match-staff-claim.ts';
import type { SsoClient, SsoIdentity } from '../../patrons/oidc/sso-client.ts';
import { resolveSafeNext } from '../../sessions/safe-next.ts';
import type { SignInFlow, SignInFlows } from '../../sessions/sign-in-flow.ts';
import type { PageDeps } from '../page-deps.ts';
import { CLEAR_SITE_DATA } from './clear-site-data.ts';

/** A sealed session longer than this would not fit in a cookie (browsers keep about 4096 bytes per cookie). */
export const MAX_SESSION_TOKEN = 3800;

export interface SsoRouteDeps extends Pick<PageDeps, 'clock' | 'logger' | 'requestIdOf' | 'origin' | 'secure' | 'sessions' | 'staffSessions' | 'resolver' | 'settings' | 'sso'> {
  readonly flows: SignInFlows;
  /** The keyed patron id of a provider's subject. */
  readonly patronIdOf: (issuer: string, sub: string) => string;
  /** patrons.oidc.claims. */
  readonly claims: ClaimMapping;
}

/**
 * Sign-in at the library's single sign-on. Patrons (patrons.source: oidc): /login/oidc starts,
 * /login/oidc/callback finishes and seals the patron made from the claims into the session.
 * Staff (admin.sso): /staff/login/oidc and /staff/login/oidc/callback, a staff session of its own
 * for those with the staff claim. Every failure is a page from the error catalogue; nothing from
 * the provider (its URLs, its error descriptions, the claims) is shown or logged.
 */
export function createSsoRoutes(deps: SsoRouteDeps): Router {
  const router = Router();
  const sessionCookie = gatewayCookieName(SESSION_COOKIE, deps.secure);
  const staffCookie = gatewayCookieName(STAFF_SESSION_COOKIE, deps.secure);
  const ttl = deps.settings.limits.sessionTtlSeconds;

  async function start(req: Request, res: Response, client: SsoClient | undefined, purpose: SignInFlow['purpose']): Promise<void> {
    if (client === undefined) throw new GatewayError('not_found');
    let next = resolveSafeNext(req.query['next'], deps.origin);
    if (purpose === 'staff' && !/^\/staff(?:[/?]|$)/.test(next)) next = '/staff';
    const { url, checks } = await logRefusal(req, purpose, client.begin());
    res.append('Set-Cookie', await deps.flows.begin({ purpose, next, ...checks }, deps.clock()));
    res.redirect(303, url);
  }

  /** The browser's return: its flow taken (once), the provider's answer verified. */
  async function finish(req: Request, res: Response, client: SsoClient | undefined, purpose: SignInFlow['purpose'], callback: string): Promise<{ flow: SignInFlow; identity: SsoIdentity; client: SsoClient }> {
    if (client === undefined) throw new GatewayError('not_found');
    // The flow cookie is spent whatever happens next.
    res.append('Set-Cookie', deps.flows.clear);
    const flow = await deps.flows.take(req, deps.clock());
    if (flow === undefined || flow.purpose !== purpose) {
      return logRefusal(req, purpose, Promise.reject(new GatewayError('sso_expired', { detail: 'no_flow' })));
    }
    // The registered redirect URI (from the public URL, never the request's Host) with the provider's answer.
    const callbackUrl = new URL(callback, deps.origin);
    callbackUrl.search = new URL(req.originalUrl, deps.origin).search;
    const identity = await logRefusal(req, purpose, client.finish(callbackUrl, flow));
    return { flow, identity, client };
  }

  /** Operators see which step refused and the provider's error code, never a value. */
  async function logRefusal<T>(req: Request, purpose: SignInFlow['purpose'], work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof GatewayError) deps.logger.warn('single sign-on refused', { code: error.code, reason: error.detail, kind: purpose, requestId: deps.requestIdOf?.(req) });
      throw error;
    }
  }

  router.get('/login/oidc', (req, res) => start(req, res, deps.sso.patrons, 'patron'));

  router.get(PATRON_SSO_CALLBACK, async (req, res) => {
    const { flow, identity, client } = await finish(req, res, deps.sso.patrons, 'patron', PATRON_SSO_CALLBACK);
    const now = deps.clock();
    const patronId = deps.patronIdOf(client.issuer, identity.sub);
    const { patron, unusable } = mapClaims(identity.claims, deps.claims, patronId);
    const staff = matchStaffClaim(identity.claims, client.staffClaim);
    // A shared computer: the previous patron's session ends before this one starts.
    const previous = deps.resolver.readToken(req);
    if (previous !== undefined) {
      await deps.sessions.end(previous, now);
      deps.resolver.forget(previous);
    }
    const { token } = await deps.sessions.seal(patronId, now, { patron, staff });
    if (token.length > MAX_SESSION_TOKEN) {
      deps.logger.warn('single sign-on refused', { code: 'sso_failed', reason: 'record_too_large', kind: 'patron', requestId: deps.requestIdOf?.(req) });
      throw new GatewayError('sso_failed');
    }
    res.setHeader('Clear-Site-Data', CLEAR_SITE_DATA.signIn);
    res.append('Set-Cookie', serializeCookie(sessionCookie, token, { maxAge: ttl, secure: deps.secure }));
    deps.logger.info('login', { code: 'login_ok', kind: staff ? 'sso-staff' : 'sso', requestId: deps.requestIdOf?.(req), ...(unusable.length > 0 ? { reason: 'unusable_claims', fields: unusable } : {}) });
    res.redirect(303, flow.next);
  });

  router.get('/staff/login/oidc', (req, res) => start(req, res, deps.sso.staff, 'staff'));

  router.get(STAFF_SSO_CALLBACK, async (req, res) => {
    const { flow, identity, client } = await finish(req, res, deps.sso.staff, 'staff', STAFF_SSO_CALLBACK);
    if (!matchStaffClaim(identity.claims, client.staffClaim)) {
      deps.logger.warn('single sign-on refused', { code: 'forbidden', reason: 'no_staff_claim', kind: 'staff', requestId: deps.requestIdOf?.(req) });
      throw new GatewayError('forbidden');
    }
    const { token } = await deps.staffSessions.seal(deps.patronIdOf(client.issuer, identity.sub), deps.clock(), { staff: true });
    res.append('Set-Cookie', serializeCookie(staffCookie, token, { maxAge: ttl, secure: deps.secure }));
    deps.logger.info('staff login', { code: 'login_ok', kind: 'sso-staff', requestId: deps.requestIdOf?.(req) });
    res.redirect(303, flow.next);
  });
  return router;
}
