import { randomBytes, randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { GatewayMetrics } from '../../../metering/gateway-metrics.ts';
import type { FederatedReleaseResolver } from '../resolve-federated-release.ts';
import { interactionPath, OIDC_LIFETIMES } from './create-oidc-provider.ts';
import { mapOidcClaims, type OidcClaims } from './map-oidc-claims.ts';
import type { OidcMemoryStore } from './oidc-memory-store.ts';

export interface OidcInteractionDeps {
  readonly provider: Provider;
  /** The oidc contracts, by client id. */
  readonly contractsByClient: ReadonlyMap<string, CompiledContract>;
  readonly resolveRelease: FederatedReleaseResolver;
  readonly store: OidcMemoryStore;
  readonly metrics: GatewayMetrics;
  readonly clock: () => Date;
}

/** What the vendor learns when the patron declines the notice: the standard error, nothing about why. */
export const DECLINED = Object.freeze({ error: 'access_denied', error_description: 'the sign-in was not completed' });

/**
 * The provider's interactions, on the gateway's own pages: `/oidc/interaction/{uid}` checks the
 * signed-in patron (else the gateway's sign-in, coming back here), the contract, the minors rules
 * (a blocked patron gets the gateway's explanatory page, and the vendor hears nothing) and the
 * notice (accepting it is the consent; declining comes back to `/declined`, which answers
 * `access_denied` to the vendor), then finishes the interaction with a release made for this
 * client alone. The release holds the claims the ID token will carry; the code's redemption reads
 * it once.
 */
export function createOidcInteractionRoutes(deps: OidcInteractionDeps): Router {
  const router = Router();

  /** The interaction of this request (its signed cookie) and the contract of its client; a stale or foreign one is a bad request. */
  async function loadInteraction(req: Request, res: Response): Promise<{ uid: string; contract: CompiledContract; scope: string; details: Awaited<ReturnType<Provider['interactionDetails']>> }> {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await deps.provider.interactionDetails(req, res);
    } catch {
      throw new GatewayError('bad_request', { detail: 'oidc interaction not found' });
    }
    const contract = deps.contractsByClient.get(String(details.params['client_id'] ?? ''));
    if (details.uid !== req.params['uid'] || contract === undefined) throw new GatewayError('bad_request', { detail: 'oidc interaction mismatch' });
    return { uid: details.uid, contract, scope: String(details.params['scope'] ?? 'openid'), details };
  }

  router.get('/oidc/interaction/:uid', async (req, res) => {
    const { uid, contract, scope, details } = await loadInteraction(req, res);
    const oidc = contract.identity.oidc;
    if (oidc === undefined) throw new GatewayError('internal', { detail: 'oidc client without oidc delivery' });
    const path = interactionPath(uid);
    const release = await deps.resolveRelease(req, contract, { resume: path, declined: `${path}/declined` }, deps.clock());
    switch (release.outcome) {
      case 'closed':
        deps.metrics.countRequest(contract.id, 'vendor_closed', 'oidc');
        throw new GatewayError('vendor_closed', { vendorName: contract.name });
      case 'sign-in':
        deps.metrics.countRequest(contract.id, 'unauthenticated', 'oidc');
        res.redirect(303, release.redirect);
        return;
      case 'blocked':
        deps.metrics.countRequest(contract.id, 'blocked_minor', 'oidc');
        throw new GatewayError(release.block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { detail: contract.id, vendorName: contract.name });
      case 'notice':
        deps.metrics.countRequest(contract.id, 'notice_required', 'oidc');
        res.redirect(303, release.redirect);
        return;
      case 'released': {
        const accountId = randomUUID();
        // Not identified (a minors rule `anonymous`): a subject for this sign-in alone, and nothing else.
        const claims: OidcClaims = release.result.access === 'identified' ? mapOidcClaims(release.view, oidc) : { sub: `once-${randomBytes(16).toString('hex')}` };
        deps.store.saveRelease(accountId, { vendorId: contract.id, clientId: oidc.clientId, claims, result: release.result }, OIDC_LIFETIMES.Interaction);
        // Every sign-in starts a fresh provider session: an earlier one (this patron's, or the last
        // patron's on a shared computer) is ended here, so its account never carries over.
        if (details.session?.uid !== undefined) {
          await (await deps.provider.Session.findByUid(details.session.uid))?.destroy();
          delete details.session;
          await details.save(Math.max(1, details.exp - Math.floor(Date.now() / 1000)));
        }
        const grant = new deps.provider.Grant({ accountId, clientId: oidc.clientId });
        grant.addOIDCScope(scope);
        const grantId = await grant.save();
        await deps.provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
    }
  });

  // "Decline" on the notice comes back here: the vendor gets access_denied, and nothing else.
  router.get('/oidc/interaction/:uid/declined', async (req, res) => {
    const { contract } = await loadInteraction(req, res);
    deps.metrics.countRequest(contract.id, 'declined', 'oidc');
    await deps.provider.interactionFinished(req, res, { ...DECLINED }, { mergeWithLastSubmission: false });
  });
  return router;
}
