import type { IncomingMessage } from 'node:http';
import type { Acknowledgements, AcknowledgementStore } from './acknowledgements.ts';

/** What a vendor's notice allows for one patron and request. */
export type NoticeDecision =
  /** The patron accepted the current notice version and chose these consents. */
  | { readonly accepted: true; readonly consents: ReadonlyArray<string> }
  /** The patron has not accepted the current version: the notice is needed first. */
  | { readonly accepted: false };

/**
 * The notices feature's side of the gate: data only. The proxy's gate stage answers the request
 * (a redirect to the notice for a browser, 428 for an API client).
 */
export interface NoticeGate {
  /** Synchronous when the patron's acknowledgements are already known; a promise otherwise. */
  decide(req: IncomingMessage, patronId: string, contract: { readonly id: string; readonly noticeVersion: string }): NoticeDecision | Promise<NoticeDecision>;
}

const NOT_ACCEPTED: NoticeDecision = Object.freeze({ accepted: false });

/** A patron reaches a vendor only after accepting its current notice version; the consents chosen there are what is released. */
export function createNoticeGate(deps: { store: AcknowledgementStore }): NoticeGate {
  return {
    decide(req, patronId, contract) {
      const decideFrom = (acks: Acknowledgements): NoticeDecision => {
        const ack = acks[contract.id];
        return ack && ack.version === contract.noticeVersion ? { accepted: true, consents: ack.consents } : NOT_ACCEPTED;
      };
      const acks = deps.store.read(req, patronId);
      return acks instanceof Promise ? acks.then(decideFrom) : decideFrom(acks);
    },
  };
}
