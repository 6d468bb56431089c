import { GatewayError } from '../errors/gateway-error.ts';

/** Redis could not be asked (down, unreachable, too slow): the caller fails closed with the 503 page. */
export function stateUnavailable(cause: unknown): GatewayError {
  // The cause stays out of logs and pages: a Redis error can quote the URL it tried.
  return new GatewayError('state_unavailable', { detail: 'the shared state store did not answer', cause });
}
