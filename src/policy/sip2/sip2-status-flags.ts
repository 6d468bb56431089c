/**
 * The 14 patron-status flags of a SIP2 24 or 64 (reference section 4.8), in wire order: the name
 * a contract uses for each position. `Y` means the condition holds; a blank means it does not.
 */
export const SIP2_STATUS_FLAGS = [
  'chargeDenied',
  'renewalDenied',
  'recallDenied',
  'holdDenied',
  'cardLost',
  'tooManyCharged',
  'tooManyOverdue',
  'tooManyRenewals',
  'tooManyClaimsReturned',
  'tooManyLost',
  'excessiveFines',
  'excessiveFees',
  'recallOverdue',
  'tooManyBilled',
] as const;

export type Sip2StatusFlag = (typeof SIP2_STATUS_FLAGS)[number];

/** Length of the patron-status field. */
export const SIP2_STATUS_LENGTH = SIP2_STATUS_FLAGS.length;

/**
 * The flags that mean "cannot borrow" (Palace's reading, reference 4.8): charge denied, card lost,
 * too many charged, overdue or lost, excessive fines or fees, recall overdue, too many billed.
 * Renewal, recall and hold denials do not stop borrowing.
 */
export const BLOCKING_STATUS_POSITIONS: ReadonlyArray<number> = Object.freeze([0, 4, 5, 6, 9, 10, 11, 12, 13]);

/** The position of a flag in the 14-character field. */
export function locateStatusFlag(flag: Sip2StatusFlag): number {
  return SIP2_STATUS_FLAGS.indexOf(flag);
}
