import { isContractInForce } from '../../../contracts/contract-status.ts';
import { buildSip2Answer } from '../../../minimize/build-sip2-answer.ts';
import { minimize, type MinimizeResult } from '../../../minimize/minimize.ts';
import { isLanguageCode, UNKNOWN_LANGUAGE } from '../../../sip2/languages.ts';
import type { ParsedMessage } from '../../../sip2/parse-message.ts';
import { IlsUnavailableError } from '../ils/ils-client.ts';
import { renderAnswer } from '../render-answer.ts';
import type { Sip2Handler, Sip2Reply } from '../sip2-handler.ts';
import type { Sip2MediatorDeps } from '../sip2-mediator-deps.ts';
import type { VendorSession } from '../vendor-session.ts';

const UNKNOWN_CARD: MinimizeResult = Object.freeze({ access: 'identified', view: Object.freeze({}), decisions: Object.freeze([]) });

/**
 * 23 Patron Status and 63 Patron Information (reference 10.1-10.3). Upstream always goes a 63 with
 * a blank summary, the vendor's AA and AD and the gateway's own AO/AC (the ILS client builds it:
 * the vendor's summary, BP/BQ, AC and anything else it sent never travel). The ILS's answer is
 * parsed, mapped to the canonical patron, minimized for this vendor's contract and rendered as a
 * fresh 24 or 64. Fails closed: when the ILS cannot answer, the connection closes unanswered.
 */
export function createPatronLookupHandler(deps: Sip2MediatorDeps & { readonly onIls: (online: boolean) => void }): Sip2Handler {
  return {
    name: 'patron-lookup',
    codes: ['23', '63'],
    validate() {
      return [...deps.contracts.values()].filter((c) => c.identity.delivery === 'sip2' && c.identity.sip2 === undefined).map((c) => `${c.id}: sip2 delivery without its compiled sip2 part`);
    },
    async run(session: VendorSession, request: ParsedMessage): Promise<Sip2Reply> {
      const entered = process.hrtime.bigint();
      const message = request.message;
      const contract = session.vendor;
      if (contract === undefined) {
        deps.metrics.countRequest('_unknown', 'unauthenticated', 'sip2');
        return { close: true };
      }
      if (message.code !== '23' && message.code !== '63') return { close: true };
      const delivery = contract.identity.sip2;
      const now = deps.clock();
      if (delivery === undefined || !isContractInForce(contract, now)) {
        deps.metrics.countRequest(contract.id, 'vendor_closed', 'sip2');
        return { close: true };
      }
      const pin = message.patronPassword;
      if (delivery.pin === 'required' && (pin === undefined || pin === '')) {
        deps.metrics.countRequest(contract.id, 'bad_request', 'sip2');
        return { close: true };
      }
      const attempt = await deps.pinLimiter.begin(`${contract.id}\u0000${session.remote}`, message.patronIdentifier, now);
      if (!attempt.allowed) {
        deps.metrics.countRequest(contract.id, 'throttled', 'sip2');
        deps.logger.warn('sip2 lookup throttled', { vendor: contract.id, outcome: 'throttled' });
        return { close: true };
      }
      const started = process.hrtime.bigint();
      let lookup;
      try {
        lookup = await deps.ils.lookupPatron(message.patronIdentifier, pin);
      } catch (error) {
        const kind = error instanceof IlsUnavailableError ? error.kind : 'bad_status';
        // The ILS did not check the PIN: an outage never counts against the card.
        attempt.succeeded();
        deps.onIls(false);
        deps.metrics.countUpstreamError(contract.id, kind, 'sip2');
        deps.metrics.countRequest(contract.id, 'upstream_error', 'sip2');
        deps.logger.warn('sip2 ILS cannot answer', { vendor: contract.id, kind });
        return { close: true };
      }
      const resumed = process.hrtime.bigint();
      deps.onIls(true);
      if (lookup.account.valid && lookup.account.pinValid !== false) attempt.succeeded();
      // A wrong PIN releases nothing (the answer says only BL and CQ N).
      const wrongPin = pin !== undefined && lookup.account.pinValid === false;
      const result = lookup.patron === undefined || wrongPin ? UNKNOWN_CARD : minimize(lookup.patron, contract, deps.pseudonyms, now);
      const answer = buildSip2Answer(
        {
          kind: message.code === '23' ? '24' : '64',
          institution: message.institutionId,
          patronIdentifier: message.patronIdentifier,
          language: isLanguageCode(message.language) ? message.language : UNKNOWN_LANGUAGE,
          pinSent: pin !== undefined,
        },
        lookup.account,
        result,
        delivery,
        now,
      );
      const bytes = renderAnswer(answer, request.sequence, request.checksum !== 'absent');
      session.lastAnswer = bytes;
      deps.metrics.countReleases(contract.id, result, 'sip2');
      deps.metrics.countRequest(contract.id, result.access === 'blocked' ? 'blocked_minor' : 'proxied', 'sip2');
      // Time inside the gateway: before the ILS was asked, and after it answered.
      deps.metrics.observeOverhead(contract.id, Number(process.hrtime.bigint() - resumed + (started - entered)) / 1e9, 'sip2');
      return { send: bytes };
    },
  };
}
