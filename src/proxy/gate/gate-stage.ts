import { GatewayError } from '../../errors/gateway-error.ts';
import { minimize } from '../../policy/minimize.ts';
import type { PseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';

/**
 * A notice gate decides whether the patron has been told about this vendor (and chose their
 * consents) for the contract's current notice version. The notices feature supplies it; it may
 * answer the request itself (redirect to the notice, or 428) and return 'handled'.
 */
export type NoticeGate = (context: ProxyContext) => Promise<void | 'handled'> | void | 'handled';

/**
 * Minors and notice gate: run the minimizer once for this patron and vendor (every later stage
 * uses its result), refuse patrons the minors rules block, then ask the notice gate.
 */
export function createGateStage(deps: { pseudonyms: PseudonymKeys; noticeGate?: NoticeGate }): Stage {
  return {
    name: 'minors and notice gate',
    async run(context) {
      const { patron, contract } = context;
      if (!patron || !contract) throw new GatewayError('internal', { detail: 'gate before identify' });
      const result = minimize(patron, contract, deps.pseudonyms, context.now);
      context.result = result;
      if (result.access === 'blocked') {
        context.outcome = 'blocked_minor';
        throw new GatewayError(result.block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { detail: contract.id });
      }
      return deps.noticeGate ? deps.noticeGate(context) : undefined;
    },
  };
}
