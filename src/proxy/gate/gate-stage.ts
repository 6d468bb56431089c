import { GatewayError } from '../../errors/gateway-error.ts';
import { minimize } from '../../policy/minimize.ts';
import type { PseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';

/**
 * The notice part of the gate, supplied by the notices feature. `acknowledged` returns the
 * consents the patron chose for this vendor's current notice version, or undefined when the
 * patron has not accepted it; `require` answers the request (a redirect to the notice, or 428).
 */
export interface NoticeGate {
  acknowledged(context: ProxyContext): Promise<ReadonlyArray<string> | undefined>;
  require(context: ProxyContext): void;
}

/**
 * Minors and notice gate: the consents the patron chose on the notice (not the record's standing
 * opt-ins) decide what is released to this vendor; the minimizer runs once with them (every later
 * stage uses its result); minors rules refuse before anything else, then a patron who has not
 * accepted the current notice is sent to it. Without a notice gate (tests of the proxy alone) the
 * record's consents apply.
 */
export function createGateStage(deps: { pseudonyms: PseudonymKeys; noticeGate?: NoticeGate }): Stage {
  return {
    name: 'minors and notice gate',
    async run(context) {
      const { patron, contract } = context;
      if (!patron || !contract) throw new GatewayError('internal', { detail: 'gate before identify' });
      const consents = deps.noticeGate ? await deps.noticeGate.acknowledged(context) : patron.consents;
      const result = minimize({ ...patron, consents: consents ?? [] }, contract, deps.pseudonyms, context.now);
      context.result = result;
      if (result.access === 'blocked') {
        context.outcome = 'blocked_minor';
        throw new GatewayError(result.block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { detail: contract.id, vendorName: contract.name });
      }
      if (deps.noticeGate && consents === undefined) {
        context.outcome = 'notice_required';
        deps.noticeGate.require(context);
        return 'handled';
      }
    },
  };
}
