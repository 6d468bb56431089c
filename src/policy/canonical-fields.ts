/**
 * The canonical patron fields (see DESIGN.md). Every contract rule, patron source and report speaks
 * in these names; anything else is refused at startup.
 */
export const CANONICAL_FIELDS = [
  'patronId',
  'barcode',
  'firstName',
  'lastName',
  'email',
  'phone',
  'address.street',
  'address.city',
  'address.state',
  'address.postalCode',
  'birthDate',
  'patronType',
  'homeBranch',
  'language',
  'residencyVerified',
  'consents',
  'parentalConsent',
] as const;

export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

const canonicalSet: ReadonlySet<string> = new Set(CANONICAL_FIELDS);

export function isCanonicalField(name: string): name is CanonicalField {
  return canonicalSet.has(name);
}

/**
 * Names that are never releasable whatever a contract says: credentials, government ids, payment
 * data and the library record. Matched after lower-casing and removing everything but letters and
 * digits, so `government_id`, `Government-ID` and `governmentId` are all caught.
 */
const NEVER_RELEASABLE: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /^(pin|pinhash|password|passwordhash|passcode|credential|credentials|secret)$/, what: 'a PIN or password' },
  {
    pattern: /^(ssn|socialsecurity(number)?|governmentid|govid|nationalid|driverslicen[cs]e|driverlicen[cs]e|passport(number)?|taxid|stateid)$/,
    what: 'a government id number',
  },
  {
    pattern: /^(card|cardnumber|creditcard|debitcard|paymentcard|pan|cvv|cvc|iban|bankaccount|payment|paymentinfo)$/,
    what: 'payment card data',
  },
  {
    pattern: /^(loans|loan|holds|hold|history|readinghistory|checkouts|checkout|circulation|libraryrecord|fines|items)$/,
    what: 'the library record (loans, holds, history)',
  },
];

/** Returns what kind of never-releasable data a field name denotes, or undefined. */
export function describeNeverReleasable(name: string): string | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const last = name.toLowerCase().split('.').pop()?.replace(/[^a-z0-9]/g, '') ?? key;
  for (const { pattern, what } of NEVER_RELEASABLE) {
    if (pattern.test(key) || pattern.test(last)) return what;
  }
  return undefined;
}
