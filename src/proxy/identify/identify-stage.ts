import { GatewayError } from '../../errors/gateway-error.ts';
import { clientWantsHtml } from '../../http/client-wants-html.ts';
import type { PatronResolver } from '../../sessions/resolve-patron.ts';
import type { Stage } from '../stage.ts';

/**
 * Identify: who is asking. A valid session cookie gives the patron; without one, browsers are
 * sent to the login page (coming back here afterwards) and API clients get 401.
 */
export function createIdentifyStage(deps: { resolver: PatronResolver }): Stage {
  return {
    name: 'identify',
    async run(context) {
      const signedIn = await deps.resolver.resolve(context.req, context.now);
      if (!signedIn) {
        context.outcome = 'unauthenticated';
        if (clientWantsHtml(context.req) && (context.req.method === 'GET' || context.req.method === 'HEAD')) {
          context.res.statusCode = 303;
          context.res.setHeader('Location', `/login?next=${encodeURIComponent(context.req.url ?? '/')}`);
          context.res.setHeader('Cache-Control', 'no-store');
          context.res.end();
          return 'handled';
        }
        throw new GatewayError('not_authenticated');
      }
      context.session = signedIn.session;
      context.patron = signedIn.patron;
      context.guard = signedIn.guard;
    },
  };
}
