/** The SIP2 sequence number (AY): one digit, incremented per request, wrapping from 9 to 0. */

export type Sip2Sequence = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** The sequence number that follows `sequence`. */
export function nextSequence(sequence: Sip2Sequence): Sip2Sequence {
  return ((sequence + 1) % 10) as Sip2Sequence;
}

/** Whether a number is a valid sequence number. */
export function isSequence(value: number): value is Sip2Sequence {
  return Number.isInteger(value) && value >= 0 && value <= 9;
}
