import type { IncomingMessage } from 'node:http';
import type { CompiledContract } from '../contracts/compiled-contract.ts';
import type { Logger } from '../log/create-logger.ts';
import type { GatewayMetrics } from '../metering/gateway-metrics.ts';
import type { AcknowledgementStore } from '../notices/acknowledgements.ts';
import type { PatronSource } from '../patrons/patron-source.ts';
import type { SsoSetup } from '../patrons/oidc/load-sso-clients.ts';
import type { PseudonymKeys } from '../policy/pseudonyms/pseudonym-keys.ts';
import type { ClientAddressReader } from '../sessions/client-address.ts';
import type { CsrfTokens } from '../sessions/csrf.ts';
import type { LoginRateLimiter } from '../sessions/login-rate-limiter.ts';
import type { PatronResolver } from '../sessions/resolve-patron.ts';
import type { SessionTokens } from '../sessions/session-token.ts';
import type { Settings } from '../settings/load-settings.ts';
import type { PageBrand } from './branding/page-brand.ts';

/**
 * Everything the gateway's own pages may need, built once by createApp. Each router declares the
 * part it uses (`Pick<PageDeps, ...>`) and is handed only that.
 */
export interface PageDeps {
  readonly settings: Settings;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly patrons: PatronSource;
  readonly sessions: SessionTokens;
  /** Staff sessions from the library's single sign-on (admin.sso): a cookie of their own, sealed apart. */
  readonly staffSessions: SessionTokens;
  /** The library's single sign-on clients, when configured. */
  readonly sso: SsoSetup;
  readonly resolver: PatronResolver;
  readonly csrf: CsrfTokens;
  readonly limiter: LoginRateLimiter;
  /** The address a sign-in attempt is counted under (X-Forwarded-For only from the proxies in trustProxy). */
  readonly clientAddress: ClientAddressReader;
  readonly pseudonyms: PseudonymKeys;
  readonly acknowledgements: AcknowledgementStore;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** The id the gateway gave a request (X-Request-Id), for its log lines. */
  readonly requestIdOf?: (req: IncomingMessage) => string | undefined;
  readonly clock: () => Date;
  /** True when the public URL is https (cookies are then Secure). */
  readonly secure: boolean;
  readonly origin: string;
  /** The library's branding and value labels on every patron page. */
  readonly brand: PageBrand;
}
