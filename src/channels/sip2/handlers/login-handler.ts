import { isContractInForce } from '../../../contracts/contract-status.ts';
import type { ParsedMessage } from '../../../sip2/parse-message.ts';
import { renderSip2Message } from '../../../sip2/render-message.ts';
import type { Sip2Handler, Sip2Reply } from '../sip2-handler.ts';
import type { Sip2MediatorDeps } from '../sip2-mediator-deps.ts';
import type { VendorSession } from '../vendor-session.ts';

/**
 * 93 Login: the vendor's own credentials tell vendors apart. Never forwarded. `941` when they
 * match a vendor whose sip2 contract is in force; otherwise `940` and the connection closes.
 * Failed logins are throttled per remote address and per login id (in the shared state).
 */
export function createLoginHandler(deps: Pick<Sip2MediatorDeps, 'contracts' | 'logins' | 'loginLimiter' | 'metrics' | 'logger' | 'clock'>): Sip2Handler {
  return {
    name: 'login',
    codes: ['93'],
    validate() {
      return [];
    },
    async run(session: VendorSession, request: ParsedMessage): Promise<Sip2Reply> {
      if (request.message.code !== '93') return { close: true };
      const answer = (ok: boolean): Uint8Array => renderSip2Message({ code: '94', ok }, { errorDetection: request.checksum !== 'absent', sequence: request.sequence ?? 0 });
      const now = deps.clock();
      // Shared state down: begin() rejects and the mediator closes the connection (fails closed).
      const attempt = await deps.loginLimiter.begin(session.remote, request.message.loginUserId, now);
      if (!attempt.allowed) {
        deps.metrics.countRequest('_unknown', 'throttled', 'sip2');
        deps.logger.warn('sip2 login throttled', { outcome: 'throttled' });
        return { send: answer(false), close: true };
      }
      const vendorId = deps.logins.identify(request.message.loginUserId, request.message.loginPassword);
      const contract = vendorId === undefined ? undefined : deps.contracts.get(vendorId);
      if (contract === undefined || contract.identity.delivery !== 'sip2') {
        deps.metrics.countRequest('_unknown', 'unauthenticated', 'sip2');
        deps.logger.warn('sip2 login refused', { outcome: 'unauthenticated' });
        return { send: answer(false), close: true };
      }
      attempt.succeeded();
      if (!isContractInForce(contract, now)) {
        deps.metrics.countRequest(contract.id, 'vendor_closed', 'sip2');
        deps.logger.warn('sip2 login refused', { vendor: contract.id, outcome: 'vendor_closed' });
        return { send: answer(false), close: true };
      }
      session.vendor = contract;
      return { send: answer(true) };
    },
  };
}
