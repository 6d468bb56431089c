import { Router } from 'express';
import type { Registry } from 'prom-client';
import { renderJwks, type AssertionKey } from '../../settings/assertion-keys.ts';
import { hasBearerToken } from '../../lib/bearer-token.ts';

/** Health, readiness, the JWKS and metrics: for machines, not patrons. */
export function createServiceRoutes(deps: { registry: Registry; state: { readonly store: 'memory' | 'redis'; isUp(): boolean }; assertionKeys: ReadonlyArray<AssertionKey>; vendorCount: number; metricsToken?: string }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Redis down is "degraded", not "not ready": every node shares the one Redis, and taking them
  // all out of the load balancer would also stop the signed-in patrons, whose requests go on.
  router.get('/readyz', (_req, res) => {
    const ready = deps.vendorCount > 0 && deps.assertionKeys.length > 0;
    const stateUp = deps.state.isUp();
    const status = !ready ? 'not ready' : stateUp ? 'ready' : 'degraded';
    res.status(ready ? 200 : 503).json({ status, vendors: deps.vendorCount, state: { store: deps.state.store, up: stateUp } });
  });
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(renderJwks(deps.assertionKeys));
  });
  router.get('/metrics', async (req, res) => {
    if (deps.metricsToken !== undefined && !hasBearerToken(req, deps.metricsToken)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.json({ error: 'not_authenticated', message: 'A metrics token is required.' });
      return;
    }
    res.setHeader('Content-Type', deps.registry.contentType);
    res.send(await deps.registry.metrics());
  });
  return router;
}
