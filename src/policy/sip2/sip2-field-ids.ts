import type { CanonicalField } from '../canonical-fields.ts';

/**
 * SIP2 field ids a contract may never name as the carrier of a released value: the protocol
 * itself gives them a meaning the mediator fills in (or always withholds). AA is allowed for a
 * pseudonym only; AE is filled from the released names only.
 */
export const RESERVED_SIP2_FIELDS: ReadonlyMap<string, string> = new Map([
  ['AA', 'the patron identifier (it echoes what the vendor sent, or carries the pseudonym)'],
  ['AE', 'the personal name (filled from released firstName and lastName only)'],
  ['AO', 'the institution id'],
  ['AC', 'the terminal password'],
  ['AD', 'the patron PIN'],
  ['AY', 'the sequence number'],
  ['AZ', 'the checksum'],
  ['BL', 'valid patron'],
  ['CQ', 'valid patron password'],
  ['CN', 'the login user id'],
  ['CO', 'the login password'],
  ['CP', 'the location code'],
  ['AF', 'the screen message (free text)'],
  ['AG', 'the print line (free text)'],
  ['AS', 'the hold items list (reading history)'],
  ['AT', 'the overdue items list (reading history)'],
  ['AU', 'the charged items list (reading history)'],
  ['AV', 'the fine items list (reading history)'],
  ['BU', 'the recall items list (reading history)'],
  ['CD', 'the unavailable holds list (reading history)'],
  ['BZ', 'the hold items limit'],
  ['CA', 'the overdue items limit'],
  ['CB', 'the charged items limit'],
  ['BH', 'the currency type (set by identity.sip2.fines)'],
  ['BV', 'the fee amount (set by identity.sip2.fines)'],
  ['CC', 'the fee limit'],
  ['BP', 'the start item'],
  ['BQ', 'the end item'],
  ['PA', 'the expiry date (set by identity.sip2.expiry)'],
]);

/** How a field id must be spelled: two upper-case letters or digits, starting with a letter. */
export const SIP2_FIELD_ID = /^[A-Z][A-Z0-9]$/;

/**
 * The standard carrier of a canonical field passed as is (reference 10.4), and of a pseudonymized
 * patronId (XI, which Palace reads as the permanent id). Anything else needs identity.names.
 */
export function findDefaultSip2Field(field: CanonicalField, action: string): string | undefined {
  if (action === 'pseudonymize') return field === 'patronId' ? 'XI' : undefined;
  if (action !== 'pass') return undefined;
  return DEFAULT_PASS_FIELDS.get(field);
}

const DEFAULT_PASS_FIELDS: ReadonlyMap<CanonicalField, string> = new Map<CanonicalField, string>([
  ['email', 'BE'],
  ['phone', 'BF'],
  ['address.street', 'BD'],
  ['birthDate', 'PB'],
  ['patronType', 'PC'],
  ['homeBranch', 'AQ'],
]);
