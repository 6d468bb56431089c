import type { Patron } from '../../../policy/patron.ts';
import type { Sip2Account } from '../../../policy/sip2/sip2-account.ts';

/** What the ILS said about one card, mapped through its dialect: the canonical record and the account. */
export interface IlsLookup {
  /** The canonical patron, when the card is known; undefined for an unknown card. */
  readonly patron: Patron | undefined;
  readonly account: Sip2Account;
}

/**
 * The mediator's upstream leg: one patron lookup (a 63 with a blank summary, the vendor's AA and
 * AD, the gateway's own AO/AC) answered from the ILS. Rejects whenever the ILS cannot answer
 * (down, slow, garbage, BL missing, CQ missing although a PIN was sent): the mediator then fails
 * closed. Injected, so the mediator is tested against a real fake ILS and works with any pool.
 */
export interface IlsClient {
  lookupPatron(barcode: string, pin: string | undefined): Promise<IlsLookup>;
  close(): void;
}

/** The ILS could not answer; `kind` is a fixed word for metrics and logs. */
export class IlsUnavailableError extends Error {
  readonly kind: 'refused' | 'reset' | 'timeout' | 'bad_status';
  constructor(kind: 'refused' | 'reset' | 'timeout' | 'bad_status') {
    super(`the ILS cannot answer (${kind})`);
    this.kind = kind;
  }
}
