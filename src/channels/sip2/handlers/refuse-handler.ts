import type { Sip2Handler, Sip2Reply } from '../sip2-handler.ts';
import type { Sip2MediatorDeps } from '../sip2-mediator-deps.ts';
import type { VendorSession } from '../vendor-session.ts';

/**
 * 01 Block Patron (it disables the card), and every circulation, hold, fee, item and patron-enable
 * message (11, 09, 15, 17, 19, 25, 29, 37, 65) and anything else: counted, never forwarded, and
 * the connection closes (reference 10.2: the simplest refusal, which cannot be misread).
 */
export const REFUSED_MESSAGES: ReadonlyArray<string> = ['01', '11', '09', '15', '17', '19', '25', '29', '37', '65'];

export function createRefuseHandler(deps: Pick<Sip2MediatorDeps, 'metrics' | 'logger'>): Sip2Handler {
  return {
    name: 'refuse',
    codes: REFUSED_MESSAGES,
    run(session: VendorSession): Sip2Reply {
      const vendor = session.vendor?.id ?? '_unknown';
      deps.metrics.countRequest(vendor, 'refused', 'sip2');
      deps.logger.warn('sip2 message refused', { vendor, outcome: 'refused' });
      return { close: true };
    },
  };
}
