/**
 * The 14-character patron status of the 24 and 64 (reference section 4.8): `Y` means the
 * condition is true, a blank means false. Parsed leniently: only `Y` (or `y`) counts as set.
 */

export const PATRON_STATUS_FLAGS = [
  'chargePrivilegesDenied',
  'renewalPrivilegesDenied',
  'recallPrivilegesDenied',
  'holdPrivilegesDenied',
  'cardReportedLost',
  'tooManyItemsCharged',
  'tooManyItemsOverdue',
  'tooManyRenewals',
  'tooManyClaimsOfItemsReturned',
  'tooManyItemsLost',
  'excessiveOutstandingFines',
  'excessiveOutstandingFees',
  'recallOverdue',
  'tooManyItemsBilled',
] as const;

export type PatronStatusFlag = (typeof PATRON_STATUS_FLAGS)[number];

export type PatronStatus = Readonly<Record<PatronStatusFlag, boolean>>;

export const PATRON_STATUS_LENGTH = 14;

/** A status with every flag false (14 blanks). */
export const CLEAR_PATRON_STATUS: PatronStatus = parsePatronStatus(' '.repeat(PATRON_STATUS_LENGTH));

/** The flags of a 14-character status field. */
export function parsePatronStatus(field: string): PatronStatus {
  const status = {} as Record<PatronStatusFlag, boolean>;
  for (let position = 0; position < PATRON_STATUS_FLAGS.length; position++) {
    const character = field[position];
    status[PATRON_STATUS_FLAGS[position] as PatronStatusFlag] = character === 'Y' || character === 'y';
  }
  return status;
}

/** The 14-character field of a status: `Y` for each true flag, a blank elsewhere. */
export function renderPatronStatus(status: PatronStatus): string {
  let field = '';
  for (const flag of PATRON_STATUS_FLAGS) field += status[flag] ? 'Y' : ' ';
  return field;
}

/** The status with only the flags at `positions` (0-based) kept; every other flag false. */
export function keepPatronStatusFlags(status: PatronStatus, positions: ReadonlySet<number>): PatronStatus {
  const kept = {} as Record<PatronStatusFlag, boolean>;
  PATRON_STATUS_FLAGS.forEach((flag, position) => {
    kept[flag] = positions.has(position) && status[flag];
  });
  return kept;
}
