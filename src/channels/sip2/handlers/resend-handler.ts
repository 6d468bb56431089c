import { renderSip2Message } from '../../../sip2/render-message.ts';
import type { Sip2Handler, Sip2Reply } from '../sip2-handler.ts';
import type { VendorSession } from '../vendor-session.ts';

/** 97 Request ACS Resend: the last answer again (already minimized, from memory), or 96 when there is none. */
export function createResendHandler(): Sip2Handler {
  return {
    name: 'resend',
    codes: ['97'],
    run(session: VendorSession): Sip2Reply {
      return { send: session.lastAnswer ?? renderSip2Message({ code: '96' }, { errorDetection: true }) };
    },
  };
}
