/**
 * What the ILS said about a card beyond the canonical patron fields: validity, the PIN check, the
 * 14 status flags, expiry and fines. Read from a 64 through the ILS's dialect; it lives only for
 * the length of one lookup.
 */
export interface Sip2Account {
  /** BL: the card exists. */
  readonly valid: boolean;
  /** CQ: the PIN was right; undefined when no PIN was checked. */
  readonly pinValid?: boolean;
  /** The 14 patron-status characters as the ILS sent them (`Y` = set). */
  readonly statusFlags: string;
  /** Expiry date, YYYY-MM-DD, when the ILS gives one the dialect can read. */
  readonly expires?: string;
  /** BV as a decimal amount, when the ILS gives one. */
  readonly feeAmount?: number;
  /** BH, ISO 4217, when the ILS gives one. */
  readonly currency?: string;
}
