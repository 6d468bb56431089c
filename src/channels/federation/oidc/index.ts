import { hkdfSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router } from 'express';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { Logger } from '../../../log/create-logger.ts';
import { UNKNOWN_VENDOR_LABEL, type GatewayMetrics } from '../../../metering/gateway-metrics.ts';
import type { AssertionKey } from '../../../settings/assertion-keys.ts';
import type { OidcClientSetup } from '../../../settings/resolve-oidc-clients.ts';
import { renderErrorPage } from '../../../web/errors/error-page.ts';
import { PAGE_CSP } from '../../../web/errors/send-error.ts';
import { chooseLanguage } from '../../../web/messages/choose-language.ts';
import type { FederatedReleaseResolver } from '../resolve-federated-release.ts';
import { createOidcProvider } from './create-oidc-provider.ts';
import { createOidcInteractionRoutes } from './oidc-interaction-routes.ts';
import { createOidcMemoryStore, type OidcMemoryStore } from './oidc-memory-store.ts';

/** The provider's paths on the gateway: `{publicUrl}/oidc/...`. */
export const OIDC_MOUNT = '/oidc';

export interface OidcChannelDeps {
  readonly publicUrl: URL;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly clients: ReadonlyArray<OidcClientSetup>;
  readonly assertionKeys: ReadonlyArray<AssertionKey>;
  /** The gateway's session key: oidc-provider's cookie key is derived from it (HKDF, a label of its own). */
  readonly sessionKey: Uint8Array;
  readonly resolveRelease: FederatedReleaseResolver;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Entries per model in the provider's memory store. */
  readonly max: number;
}

export interface OidcChannel {
  /** Answers a request under /oidc/ (except the interactions, which are `routes`); false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** The interactions, on the gateway's own pages (express). */
  readonly routes: Router;
  readonly store: OidcMemoryStore;
}

/**
 * The OpenID Connect channel: oidc-provider mounted at `{publicUrl}/oidc` on the gateway's
 * listener, its interactions on the gateway's pages, its state in a bounded memory store, its
 * errors on the gateway's error page, its outcomes in the gateway's metrics (channel `oidc`) and
 * its log lines holding error codes and vendor ids only.
 */
export function createOidcChannel(deps: OidcChannelDeps): OidcChannel {
  const store = createOidcMemoryStore({ max: deps.max });
  const oidcContracts = new Map([...deps.contracts].filter(([, contract]) => contract.identity.oidc !== undefined));
  const contractsByClient = new Map([...oidcContracts.values()].map((contract) => [contract.identity.oidc?.clientId ?? '', contract]));
  const vendorOf = (ctx: KoaContextWithOIDC | undefined): string => contractsByClient.get(ctx?.oidc?.client?.clientId ?? '')?.id ?? UNKNOWN_VENDOR_LABEL;
  const cookieKey = Buffer.from(hkdfSync('sha256', deps.sessionKey, Buffer.from('patron-privacy-gateway/oidc-cookies/v1'), Buffer.alloc(0), 32)).toString('base64url');
  const provider = createOidcProvider({
    issuer: `${deps.publicUrl.origin}${OIDC_MOUNT}`,
    clients: deps.clients,
    contracts: oidcContracts,
    keys: deps.assertionKeys,
    store,
    cookieKey,
    renderError: (ctx, out) => {
      const error = new GatewayError(out.error === 'server_error' ? 'internal' : 'bad_request');
      ctx.status = error.status;
      ctx.set('Content-Security-Policy', PAGE_CSP);
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.type = 'html';
      ctx.body = renderErrorPage(chooseLanguage(ctx.req), error);
    },
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.entities.AuthorizationCode?.accountId;
    const release = accountId === undefined ? undefined : store.findRelease(accountId);
    if (accountId === undefined || release === undefined) return;
    deps.metrics.countRequest(release.vendorId, 'proxied', 'oidc');
    deps.metrics.countReleases(release.vendorId, release.result, 'oidc');
    // Redeemed: its code is single use, so the release is not needed again.
    store.forgetRelease(accountId);
  });
  const refused = (event: string) => (ctx: KoaContextWithOIDC, error: { error?: string }) => {
    const vendor = vendorOf(ctx);
    deps.metrics.countRequest(vendor, 'bad_request', 'oidc');
    deps.logger.warn(event, { vendor, code: typeof error.error === 'string' && /^[a-z_]{1,40}$/.test(error.error) ? error.error : 'unknown' });
  };
  provider.on('grant.error', refused('oidc token request refused'));
  provider.on('authorization.error', refused('oidc authorization refused'));
  provider.on('server_error', (ctx: KoaContextWithOIDC) => {
    deps.metrics.countRequest(vendorOf(ctx), 'internal_error', 'oidc');
    deps.logger.error('oidc provider error', { vendor: vendorOf(ctx), code: 'internal' });
  });
  const callback = provider.callback();
  const proto = deps.publicUrl.protocol.slice(0, -1);
  const host = deps.publicUrl.host;
  return {
    handle(req, res) {
      const url = req.url ?? '';
      if (!url.startsWith(`${OIDC_MOUNT}/`) || url.startsWith(`${OIDC_MOUNT}/interaction/`)) return false;
      // The provider's URLs are the public URL's, whatever Host or X-Forwarded-* the request carried.
      req.headers['x-forwarded-proto'] = proto;
      req.headers['x-forwarded-host'] = host;
      delete req.headers['x-forwarded-for'];
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(OIDC_MOUNT.length);
      void callback(req, res);
      return true;
    },
    routes: createOidcInteractionRoutes({ provider, contractsByClient, resolveRelease: deps.resolveRelease, store, metrics: deps.metrics, clock: deps.clock }),
    store,
  };
}
