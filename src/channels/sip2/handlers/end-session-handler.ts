import type { ParsedMessage } from '../../../sip2/parse-message.ts';
import { renderSip2Message } from '../../../sip2/render-message.ts';
import { formatSip2Date } from '../../../sip2/sip2-date.ts';
import type { Sip2Handler, Sip2Reply } from '../sip2-handler.ts';
import type { VendorSession } from '../vendor-session.ts';

/** 35 End Patron Session, answered locally: `36Y`, the vendor's AO (or the contract's) and its own AA. Needs a login. */
export function createEndSessionHandler(deps: { readonly clock: () => Date }): Sip2Handler {
  return {
    name: 'end-session',
    codes: ['35'],
    run(session: VendorSession, request: ParsedMessage): Sip2Reply {
      const message = request.message;
      if (session.vendor === undefined || message.code !== '35') return { close: true };
      const answer = {
        code: '36' as const,
        endSession: true,
        transactionDate: formatSip2Date(deps.clock().getTime()),
        institutionId: session.vendor.identity.sip2?.institution ?? message.institutionId,
        patronIdentifier: message.patronIdentifier,
        screenMessages: [],
        printLines: [],
      };
      return { send: renderSip2Message(answer, { errorDetection: request.checksum !== 'absent', sequence: request.sequence ?? 0 }) };
    },
  };
}
