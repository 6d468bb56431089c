/** Why a SIP2 exchange with the ILS failed. None of these says anything about the patron. */
export type Sip2ClientFailure =
  /** The connection could not be made (refused, DNS, TLS handshake), or the pool is backing off. */
  | 'unreachable'
  /** No answer in time. */
  | 'timeout'
  /** The ILS closed the connection before answering. */
  | 'closed'
  /** The answer was not SIP2, or not the message asked for, or too long. */
  | 'garbage'
  /** The answer's checksum was wrong, twice. */
  | 'bad_checksum'
  /** The answer carried another sequence number than the request's. */
  | 'sequence_mismatch'
  /** The ILS refused the gateway's own 93 login. */
  | 'login_refused'
  /** Too many requests waiting for a connection. */
  | 'busy';

/** A failed SIP2 exchange. The message names the failure only: never a host, a field value or a credential. */
export class Sip2ClientError extends Error {
  readonly reason: Sip2ClientFailure;
  constructor(reason: Sip2ClientFailure, options?: { cause?: unknown }) {
    super(`SIP2 exchange failed: ${reason}`, options);
    this.name = 'Sip2ClientError';
    this.reason = reason;
  }
}
