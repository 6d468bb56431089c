import express, { Router, type Request, type Response } from 'express';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { Logger } from '../../../log/create-logger.ts';
import type { GatewayMetrics } from '../../../metering/gateway-metrics.ts';
import type { SamlIdpSetup } from '../../../settings/resolve-saml-idp.ts';
import { chooseLanguage } from '../../../web/messages/choose-language.ts';
import type { FederatedReleaseResolver } from '../resolve-federated-release.ts';
import { createSamlId, renderErrorResponse, renderSuccessResponse, signSamlResponse, type ResponseAddress } from './build-saml-response.ts';
import { findPairwiseId, mapSamlAttributes } from './map-saml-attributes.ts';
import { createPendingRequests, PENDING_LIFETIME_SECONDS, type PendingRequest } from './pending-request.ts';
import { readPostBinding, readRedirectBinding, type ReadRequest } from './read-saml-binding.ts';
import { createRememberedRequestIds } from './remembered-request-ids.ts';
import { renderIdpMetadata } from './render-idp-metadata.ts';
import { renderPostForm } from './render-post-form.ts';
import type { ServiceProvider } from './service-provider.ts';
import { verifyAuthnRequest, type RequestRefusal } from './verify-authn-request.ts';

export interface SamlRouteDeps {
  readonly idp: SamlIdpSetup;
  /** SP by vendor id (boot's loadServiceProviders). */
  readonly providers: ReadonlyMap<string, ServiceProvider>;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  /** The gateway's sign-in, minors rules and notice, shared with the OpenID Connect provider. */
  readonly resolveRelease: FederatedReleaseResolver;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Seals pending requests (derived key; shared by every node). */
  readonly sessionKey: Uint8Array;
  /** To date the AuthnStatement: a session was sealed this long before it expires. */
  readonly sessionTtlSeconds: number;
  readonly requestIdOf?: (req: Request) => string | undefined;
}

const SAML_FORM_LIMIT = '128kb';

/**
 * The SAML identity provider: `/saml/metadata`, `/saml/sso` (HTTP-Redirect with GET, HTTP-POST
 * with POST), `/saml/resume` (where the patron comes back after signing in and accepting the notice)
 * and `/saml/decline` (the notice's "No thanks"). A request is verified, remembered against replay,
 * and sealed into the resume URL; the answer (a signed Response with one assertion carrying only
 * the vendor view, or a Responder/RequestDenied status) is posted to the ACS the SP's metadata names.
 */
export function createSamlRoutes(deps: SamlRouteDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: SAML_FORM_LIMIT, parameterLimit: 10 });
  const { idp } = deps;
  const byEntity = new Map([...deps.providers.values()].map((provider) => [provider.entityId, provider]));
  const pending = createPendingRequests(deps.sessionKey);
  const remembered = createRememberedRequestIds({ max: idp.maxRememberedRequests, ttlMs: Math.max(idp.requestMaxAgeSeconds, PENDING_LIFETIME_SECONDS) * 1000 });
  const metadata = renderIdpMetadata(idp);
  const signingKey = { privateKey: idp.privateKey, certificateBase64: idp.certificateBase64 };

  const refuse = (req: Request, reason: RequestRefusal, vendor?: string): never => {
    deps.metrics.countRequest(vendor ?? '_unknown', 'bad_request', 'saml');
    deps.logger.warn('saml request refused', { code: reason, ...(vendor !== undefined ? { vendor } : {}), requestId: deps.requestIdOf?.(req) });
    throw new GatewayError('saml_request_refused', { detail: reason });
  };

  router.get('/saml/metadata', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.type('application/samlmetadata+xml').send(metadata);
  });

  const receive = async (req: Request, res: Response, read: ReadRequest | { refused: RequestRefusal }): Promise<void> => {
    if ('refused' in read) return refuse(req, read.refused);
    const now = deps.clock();
    const verified = verifyAuthnRequest(read.arrived, { providers: byEntity, ssoUrl: idp.ssoUrl, now, maxAgeSeconds: idp.requestMaxAgeSeconds });
    if ('refused' in verified) return refuse(req, verified.refused);
    const { provider, id } = verified.request;
    if (!remembered.accept(provider.entityId, id)) return refuse(req, 'replayed', provider.vendorId);
    const token = pending.seal({ vendor: provider.vendorId, id, acs: verified.request.acsPosition, ...(read.relayState !== undefined ? { relayState: read.relayState } : {}), isPassive: verified.request.isPassive, exp: Math.floor(now.getTime() / 1000) + PENDING_LIFETIME_SECONDS });
    await answer(req, res, token);
  };

  router.get('/saml/sso', async (req, res) => {
    const url = req.originalUrl;
    const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
    await receive(req, res, readRedirectBinding(query));
  });

  router.post('/saml/sso', form, async (req, res) => {
    await receive(req, res, readPostBinding((req.body ?? {}) as Record<string, unknown>));
  });

  router.get('/saml/resume', async (req, res) => {
    await answer(req, res, typeof req.query['r'] === 'string' ? req.query['r'] : '');
  });

  router.get('/saml/decline', async (req, res) => {
    const opened = openPending(req, typeof req.query['r'] === 'string' ? req.query['r'] : '');
    deps.metrics.countRequest(opened.contract.id, 'declined', 'saml');
    postError(req, res, opened, 'requestDenied');
  });

  /** The pending request of a resume or decline URL, with its contract and SP, or a refusal. */
  function openPending(req: Request, token: string): { pending: PendingRequest; contract: CompiledContract; provider: ServiceProvider; address: ResponseAddress; token: string } {
    const now = deps.clock();
    const opened = pending.open(token, now);
    const contract = opened === undefined ? undefined : deps.contracts.get(opened.vendor);
    const provider = opened === undefined ? undefined : deps.providers.get(opened.vendor);
    const acs = opened === undefined ? undefined : provider?.acs[opened.acs];
    if (opened === undefined || contract === undefined || provider === undefined || acs === undefined) return refuse(req, 'missing-request');
    return { pending: opened, contract, provider, token, address: { issuer: idp.entityId, audience: provider.entityId, destination: acs.location, inResponseTo: opened.id, now } };
  }

  /** Answers a pending request once: to the sign-in or the notice while needed, then the Response. */
  async function answer(req: Request, res: Response, token: string): Promise<void> {
    const started = process.hrtime.bigint();
    const opened = openPending(req, token);
    const { contract, address } = opened;
    const paths = { resume: `/saml/resume?r=${encodeURIComponent(token)}`, declined: `/saml/decline?r=${encodeURIComponent(token)}` };
    const release = await deps.resolveRelease(req, contract, paths, address.now);
    if (release.outcome === 'closed') {
      deps.metrics.countRequest(contract.id, 'vendor_closed', 'saml');
      throw new GatewayError('vendor_closed', { vendorName: contract.name });
    }
    if ((release.outcome === 'sign-in' || release.outcome === 'notice') && opened.pending.isPassive) {
      deps.metrics.countRequest(contract.id, release.outcome === 'sign-in' ? 'unauthenticated' : 'notice_required', 'saml');
      return postError(req, res, opened, 'noPassive');
    }
    if (release.outcome === 'sign-in' || release.outcome === 'notice') {
      deps.metrics.countRequest(contract.id, release.outcome === 'sign-in' ? 'unauthenticated' : 'notice_required', 'saml');
      res.redirect(303, release.redirect);
      return;
    }
    if (release.outcome === 'blocked') {
      // The vendor gets the same answer as for a decline: it cannot tell a minor from a patron who said no.
      deps.metrics.countRequest(contract.id, 'blocked_minor', 'saml');
      return postError(req, res, opened, 'requestDenied');
    }
    const plan = contract.identity.saml;
    if (plan === undefined) throw new GatewayError('internal', { detail: `${contract.id}: saml plan missing` });
    const { result, view } = release;
    const identified = result.access === 'identified';
    const scope = idp.scope;
    const affiliations = { ...idp.affiliations, ...(plan.affiliations ?? {}) };
    const pairwiseId = plan.nameId === 'pairwise-id' ? findPairwiseId(plan, view, scope) : undefined;
    if (!remembered.answer(opened.provider.entityId, opened.pending.id)) return refuse(req, 'replayed', contract.id);
    const xml = renderSuccessResponse(address, {
      nameId: pairwiseId !== undefined ? { format: 'persistent', value: pairwiseId } : { format: 'transient', value: createSamlId() },
      attributes: identified ? mapSamlAttributes(plan, view, { scope, affiliations }) : [],
      lifetimeSeconds: idp.assertionLifetimeSeconds,
      authnInstant: new Date((release.signedIn.session.exp - deps.sessionTtlSeconds) * 1000),
    });
    const signed = signSamlResponse(xml, signingKey);
    deps.metrics.countReleases(contract.id, result, 'saml');
    deps.metrics.countRequest(contract.id, 'proxied', 'saml');
    deps.metrics.observeOverhead(contract.id, Number(process.hrtime.bigint() - started) / 1e9, 'saml');
    sendPostForm(req, res, address.destination, signed, opened.pending.relayState, contract.name);
  }

  /** A Response without an assertion (Responder with RequestDenied or NoPassive), posted to the ACS; once per request. */
  function postError(req: Request, res: Response, opened: ReturnType<typeof openPending>, second: 'requestDenied' | 'noPassive'): void {
    if (!remembered.answer(opened.provider.entityId, opened.pending.id)) return refuse(req, 'replayed', opened.contract.id);
    const signed = signSamlResponse(renderErrorResponse(opened.address, second), signingKey);
    sendPostForm(req, res, opened.address.destination, signed, opened.pending.relayState, opened.contract.name);
  }

  function sendPostForm(req: Request, res: Response, acs: string, xml: string, relayState: string | undefined, vendorName: string): void {
    const m = chooseLanguage(req);
    const page = renderPostForm(acs, Buffer.from(xml, 'utf8').toString('base64'), relayState, m.federation.sending(vendorName), m.federation.continue);
    res.setHeader('Content-Security-Policy', page.csp);
    res.type('html').send(page.html);
  }

  return router;
}
