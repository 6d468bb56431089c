import { GatewayError } from '../../../errors/gateway-error.ts';
import type { PatronResolver, SignedInPatron } from '../../../sessions/resolve-patron.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';

/**
 * Identify: who is asking. A valid session cookie gives the patron; without one, browsers are
 * sent to the login page (coming back here afterwards) and API clients get 401 (the error catalogue).
 * Synchronous when the session is already known.
 */
export function createIdentifyStage(deps: { resolver: PatronResolver }): Stage {
  return {
    name: 'identify',
    run(context) {
      const signedIn = deps.resolver.resolve(context.req, context.now);
      if (signedIn instanceof Promise) return signedIn.then((known) => identify(context, known));
      identify(context, signedIn);
    },
  };
}

function identify(context: ProxyContext, signedIn: SignedInPatron | undefined): void {
  // Browsers navigating are sent to sign in and come back here afterwards.
  if (!signedIn) throw new GatewayError('not_authenticated', { redirectTo: `/login?next=${encodeURIComponent(context.req.url ?? '/')}` });
  context.session = signedIn.session;
  context.patron = signedIn.patron;
  context.guard = signedIn.guard;
}
