import { GatewayError } from '../../../errors/gateway-error.ts';
import { minimize } from '../../../minimize/minimize.ts';
import type { NoticeGate } from '../../../notices/notice-gate.ts';
import type { PseudonymKeys } from '../../../policy/pseudonyms/pseudonym-keys.ts';
import { resolveSafeNext } from '../../../sessions/safe-next.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';

/**
 * Minors and notice gate: the consents the patron chose on the notice (not the record's standing
 * opt-ins) decide what is released to this vendor; the minimizer runs once with them (every later
 * stage uses its result); minors rules refuse before anything else, then a patron who has not
 * accepted the current notice is sent to it (a browser, coming back afterwards) or told 428 with
 * the notice's relative path (an API client). Without a notice gate (tests of the proxy alone)
 * the record's consents apply.
 */
export function createGateStage(deps: { pseudonyms: PseudonymKeys; noticeGate?: NoticeGate; publicOrigin: string }): Stage {
  return {
    name: 'minors and notice gate',
    async run(context) {
      const { patron, contract } = context;
      if (!patron || !contract) throw new GatewayError('internal', { detail: 'gate before identify' });
      const decision = deps.noticeGate ? await deps.noticeGate.decide(context.req, patron.patronId, contract) : { accepted: true as const, consents: patron.consents };
      const result = minimize({ ...patron, consents: decision.accepted ? decision.consents : [] }, contract, deps.pseudonyms, context.now);
      context.result = result;
      if (result.access === 'blocked') {
        throw new GatewayError(result.block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { detail: contract.id, vendorName: contract.name });
      }
      if (!decision.accepted) {
        const notice = `/notices/${contract.id}`;
        throw new GatewayError('notice_required', { detail: contract.id, notice, redirectTo: `${notice}?next=${encodeURIComponent(context.req.url ?? '/')}&back=${encodeURIComponent(backTo(context, deps.publicOrigin))}` });
      }
    },
  };
}

/** Where "back" on the notice goes: the gateway page the patron came from, or home. */
function backTo(context: ProxyContext, origin: string): string {
  const referer = context.req.headers.referer;
  return referer && referer.startsWith(`${origin}/`) ? resolveSafeNext(referer.slice(origin.length), origin) : '/';
}
