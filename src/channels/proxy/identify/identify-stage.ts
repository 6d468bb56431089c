import { GatewayError } from '../../../errors/gateway-error.ts';
import type { PatronResolver } from '../../../sessions/resolve-patron.ts';
import type { Stage } from '../stage.ts';

/**
 * Identify: who is asking. A valid session cookie gives the patron; without one, browsers are
 * sent to the login page (coming back here afterwards) and API clients get 401 (the error catalogue).
 */
export function createIdentifyStage(deps: { resolver: PatronResolver }): Stage {
  return {
    name: 'identify',
    async run(context) {
      const signedIn = await deps.resolver.resolve(context.req, context.now);
      if (!signedIn) {
        // Browsers navigating are sent to sign in and come back here afterwards.
        throw new GatewayError('not_authenticated', { redirectTo: `/login?next=${encodeURIComponent(context.req.url ?? '/')}` });
      }
      context.session = signedIn.session;
      context.patron = signedIn.patron;
      context.guard = signedIn.guard;
    },
  };
}
