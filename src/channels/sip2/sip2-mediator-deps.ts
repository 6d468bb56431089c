import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Logger } from '../../log/create-logger.ts';
import type { GatewayMetrics } from '../../metering/gateway-metrics.ts';
import type { PseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import type { LoginRateLimiter } from '../../sessions/login-rate-limiter.ts';
import type { IlsClient } from './ils/ils-client.ts';
import type { VendorLogins } from './vendor-logins.ts';

/** Everything the mediator's handlers use, injected by app.ts (or a test). */
export interface Sip2MediatorDeps {
  /** Every contract; the mediator serves those with sip2 delivery. */
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly logins: VendorLogins;
  readonly ils: IlsClient;
  readonly pseudonyms: PseudonymKeys;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Failed 93 logins, per remote address (and per login id). */
  readonly loginLimiter: LoginRateLimiter;
  /** Wrong PINs and unknown cards, per vendor connection address and per card. */
  readonly pinLimiter: LoginRateLimiter;
}
