import { mapSip2Patron, type Sip2Dialect } from '../../../patrons/sip2-dialect.ts';
import { Sip2ClientError } from '../../../sip2/sip2-client-error.ts';
import type { Sip2Pool } from '../../../sip2/sip2-connection-pool.ts';
import { requestPatronInformation } from '../../../sip2/request-patron-information.ts';
import { type IlsClient, IlsUnavailableError } from './ils-client.ts';
import { readIlsAccount } from './read-ils-account.ts';

export interface PoolIlsClientOptions {
  /** Connections to the ILS, logged in with the gateway's own 93 (the SIP2 client's pool). */
  readonly pool: Sip2Pool;
  /** AO of every request: the gateway's, never the vendor's. */
  readonly institution: string;
  readonly dialect: Sip2Dialect;
  /** The field of the 64 with the card's expiry date (Evergreen PA; Polaris PX). */
  readonly expiryField?: string;
  /** Per lookup, waiting for a connection included. */
  readonly timeoutMs: number;
  readonly now: () => number;
}

const KIND: Readonly<Record<string, IlsUnavailableError['kind']>> = { unreachable: 'refused', timeout: 'timeout', closed: 'reset', busy: 'timeout' };

/**
 * The mediator's upstream leg over the SIP2 client's pool: always a 63 with a blank summary, the
 * gateway's own AO and an empty AC, the vendor's AA and AD, and nothing else of what the vendor
 * sent. The answer goes through the library's dialect to a canonical patron and an account.
 */
export function createPoolIlsClient(options: PoolIlsClientOptions): IlsClient {
  const expiryField = options.expiryField ?? 'PA';
  return {
    async lookupPatron(barcode, pin) {
      let answer;
      try {
        answer = await requestPatronInformation(options.pool, { institution: options.institution, barcode, pin, now: options.now(), timeoutMs: options.timeoutMs });
      } catch (error) {
        throw new IlsUnavailableError(error instanceof Sip2ClientError ? (KIND[error.reason] ?? 'bad_status') : 'bad_status');
      }
      const account = readIlsAccount(answer, pin !== undefined, expiryField);
      if (!account.valid) return { patron: undefined, account };
      const mapped = mapSip2Patron(answer, options.dialect, barcode);
      if (!mapped.ok) throw new IlsUnavailableError('bad_status');
      return { patron: mapped.patron, account };
    },
    close() {
      options.pool.close();
    },
  };
}

