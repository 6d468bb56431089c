import type { Request, Response } from 'express';
import { GatewayError } from '../../errors/gateway-error.ts';
import { hasBearerToken } from '../../lib/bearer-token.ts';
import type { PatronResolver } from '../../sessions/resolve-patron.ts';

/** Lets a request through to a staff page (true), sends a browser to sign in (false), or throws 401/403. */
export type StaffCheck = (req: Request, res: Response) => Promise<boolean>;

/**
 * Who may use the staff console: staff patrons (a patron type from `admin.staffPatronTypes`) or a
 * client holding the `admin.staffToken` bearer credential; everyone else gets 403.
 */
export function createStaffCheck(deps: { resolver: PatronResolver; staffPatronTypes: ReadonlyArray<string>; staffToken?: string; clock: () => Date }): StaffCheck {
  const staffTypes = new Set(deps.staffPatronTypes);
  return async (req, res) => {
    if (deps.staffToken !== undefined && hasBearerToken(req, deps.staffToken)) return true;
    const signedIn = await deps.resolver.resolve(req, deps.clock());
    if (!signedIn) {
      if (req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
        res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
        return false;
      }
      throw new GatewayError('not_authenticated');
    }
    if (!staffTypes.has(signedIn.patron.patronType ?? '')) throw new GatewayError('forbidden');
    return true;
  };
}
