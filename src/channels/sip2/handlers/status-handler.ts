import type { ParsedMessage } from '../../../sip2/parse-message.ts';
import { renderSip2Message } from '../../../sip2/render-message.ts';
import { renderSupportedMessages } from '../../../sip2/messages/status.ts';
import { formatSip2Date } from '../../../sip2/sip2-date.ts';
import type { Sip2Handler, Sip2Reply } from '../sip2-handler.ts';
import type { VendorSession } from '../vendor-session.ts';

/** The messages the mediator accepts (reference 4.2): 23, 99, 97, 93, 63 and 35. */
export const MEDIATOR_MESSAGES: ReadonlySet<string> = new Set(['23', '99', '97', '93', '63', '35']);
const SUPPORTED = renderSupportedMessages(MEDIATOR_MESSAGES);

/**
 * 99 SC Status, answered locally with the mediator's own 98: on-line unless the ILS failed last,
 * no circulation, and BX advertising only what the mediator accepts. Allowed before login (some
 * clients send 99 first); it says nothing about any patron.
 */
export function createStatusHandler(deps: { readonly clock: () => Date; readonly ilsOnline: () => boolean }): Sip2Handler {
  return {
    name: 'status',
    codes: ['99'],
    run(session: VendorSession, request: ParsedMessage): Sip2Reply {
      const message = {
        code: '98' as const,
        onlineStatus: deps.ilsOnline(),
        checkinOk: false,
        checkoutOk: false,
        acsRenewalPolicy: false,
        statusUpdateOk: false,
        offlineOk: false,
        timeoutPeriod: '999',
        retriesAllowed: '999',
        dateTimeSync: formatSip2Date(deps.clock().getTime()),
        protocolVersion: '2.00',
        institutionId: session.vendor?.identity.sip2?.institution ?? '',
        supportedMessages: SUPPORTED,
        screenMessages: [],
        printLines: [],
      };
      return { send: renderSip2Message(message, { errorDetection: request.checksum !== 'absent', sequence: request.sequence ?? 0 }) };
    },
  };
}
