import { GatewayError } from '../../../errors/gateway-error.ts';
import type { RememberedMinimizer } from '../../../minimize/remember-results.ts';
import type { NoticeDecision, NoticeGate } from '../../../notices/notice-gate.ts';
import { resolveSafeNext } from '../../../sessions/safe-next.ts';
import { computeAge } from '../../../policy/age.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';

/**
 * Minors and notice gate: the consents the patron chose on the notice (not the record's standing
 * opt-ins) decide what is released to this vendor; the minimizer runs once with them (every later
 * stage uses its result, remembered for the session and day); minors rules refuse before anything
 * else, then a patron who has not accepted the current notice is sent to it (a browser, coming
 * back afterwards) or told 428 with the notice's relative path (an API client). Without a notice
 * gate (tests of the proxy alone) the record's consents apply. Synchronous when the patron's
 * acknowledgements are already known.
 */
export function createGateStage(deps: { minimizer: RememberedMinimizer; noticeGate?: NoticeGate; publicOrigin: string }): Stage {
  const gate = (context: ProxyContext, decision: NoticeDecision): void => {
    const { patron, contract, session } = context;
    if (!patron || !contract || !session) throw new GatewayError('internal', { detail: 'gate before identify' });
    const result = deps.minimizer.minimize(session.sid, patron, contract, decision.accepted ? decision.consents : NO_CONSENTS, context.now);
    context.result = result;
    if (result.access === 'blocked') {
      throw new GatewayError(result.block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { detail: contract.id, vendorName: contract.name, ageUnknown: patron.birthDate === undefined || computeAge(patron.birthDate, context.now) === undefined });
    }
    if (!decision.accepted) {
      const notice = `/notices/${contract.id}`;
      throw new GatewayError('notice_required', { detail: contract.id, notice, redirectTo: `${notice}?next=${encodeURIComponent(context.req.url ?? '/')}&back=${encodeURIComponent(backTo(context, deps.publicOrigin))}` });
    }
  };
  return {
    name: 'minors and notice gate',
    run(context) {
      const { patron, contract } = context;
      if (!patron || !contract) throw new GatewayError('internal', { detail: 'gate before identify' });
      if (!deps.noticeGate) return gate(context, { accepted: true, consents: patron.consents ?? NO_CONSENTS });
      const decision = deps.noticeGate.decide(context.req, patron.patronId, contract);
      if (decision instanceof Promise) return decision.then((known) => gate(context, known));
      gate(context, decision);
    },
  };
}

const NO_CONSENTS: ReadonlyArray<string> = Object.freeze([]);

/** Where "back" on the notice goes: the gateway page the patron came from, or home. */
function backTo(context: ProxyContext, origin: string): string {
  const referer = context.req.headers.referer;
  return referer && referer.startsWith(`${origin}/`) ? resolveSafeNext(referer.slice(origin.length), origin) : '/';
}
