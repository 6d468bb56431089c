import type { Request, Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.ts';
import { hasBearerToken } from '../../lib/bearer-token.ts';
import type { PatronResolver } from '../../sessions/resolve-patron.ts';
import type { SessionTokens } from '../../sessions/session-token.ts';
import { readCookie } from '../../lib/cookies.ts';

/** Lets a request through to a staff page (true), sends a browser to sign in (false), or throws 401/403. */
export type StaffCheck = (req: Request, res: Response) => Promise<boolean>;

/**
 * Who may use the staff console: staff patrons (a patron type from `admin.staffPatronTypes`, or
 * the provider's staff claim when patrons sign in at the library's single sign-on), a staff
 * session from the single sign-on (`admin.sso`), or a client holding the `admin.staffToken`
 * bearer credential; everyone else gets 403.
 */
export function createStaffCheck(deps: { resolver: PatronResolver; staffPatronTypes: ReadonlyArray<string>; staffToken?: string; clock: () => Date; staffSessions?: { readonly tokens: SessionTokens; readonly cookieName: string } }): StaffCheck {
  const staffTypes = new Set(deps.staffPatronTypes);
  return async (req, res) => {
    if (deps.staffToken !== undefined && hasBearerToken(req, deps.staffToken)) return true;
    const staffToken = deps.staffSessions === undefined ? undefined : readCookie(req, deps.staffSessions.cookieName);
    if (staffToken !== undefined && deps.staffSessions !== undefined && (await deps.staffSessions.tokens.open(staffToken, deps.clock()))?.staff === true) return true;
    const signedIn = await deps.resolver.resolve(req, deps.clock());
    if (!signedIn) {
      if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
        res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
        return false;
      }
      throw new GatewayError('not_authenticated');
    }
    if (signedIn.session.staff !== true && !staffTypes.has(signedIn.patron.patronType ?? '')) throw new GatewayError('forbidden');
    return true;
  };
}
