import type { CanonicalField } from '../../policy/canonical-fields.ts';
import type { Patron } from '../../policy/patron.ts';
import { readClaim, type Claims } from './read-claim.ts';

/** A canonical field -> the claim (name or dotted path) that holds it (`patrons.oidc.claims`). */
export type ClaimMapping = Readonly<Record<string, string>>;

/** The longest text taken from a claim: a longer value is not a name, a card number or a branch. */
export const MAX_CLAIM_TEXT = 256;

/** How each mapped claim becomes a canonical value; undefined when the claim's value cannot be used. */
type Reader = (value: unknown) => string | boolean | string[] | undefined;

const readText: Reader = (value) => {
  const text = Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  return text !== undefined && text !== '' && text.length <= MAX_CLAIM_TEXT ? text : undefined;
};

const readEmail: Reader = (value) => {
  const text = readText(value);
  return typeof text === 'string' && /^[^@\s]+@[^@\s]+$/.test(text) ? text : undefined;
};

/** OIDC's birthdate is YYYY-MM-DD, or 0000-MM-DD when the year is withheld (useless for age rules), or YYYY alone. */
const readBirthDate: Reader = (value) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !value.startsWith('0000') ? value : undefined);

const readFlag: Reader = (value) => (typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined);

const CONSENT_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A list of consent names, or one text of names separated by spaces; names that are not consent names are left out. */
const readConsents: Reader = (value) => {
  // Empty items (several spaces in a row) are not consent names, so the filter below drops them.
  const items = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : undefined;
  if (items === undefined) return undefined;
  return items.filter((item): item is string => typeof item === 'string' && CONSENT_NAME.test(item) && item.length <= 64).slice(0, 64);
};

const READERS: Readonly<Record<Exclude<CanonicalField, 'patronId'>, Reader>> = {
  barcode: readText,
  firstName: readText,
  lastName: readText,
  email: readEmail,
  phone: readText,
  'address.street': readText,
  'address.city': readText,
  'address.state': readText,
  'address.postalCode': readText,
  birthDate: readBirthDate,
  patronType: readText,
  homeBranch: readText,
  language: readText,
  residencyVerified: readFlag,
  consents: readConsents,
  parentalConsent: readFlag,
};

export interface MappedPatron {
  readonly patron: Patron;
  /** Fields whose claim was present but could not be used (wrong type, malformed, too long): names only, for the log. */
  readonly unusable: ReadonlyArray<string>;
}

/**
 * The patron record made from a provider's claims through the settings' mapping: each mapped
 * field whose claim is present and usable, nothing else. `patronId` is given (the keyed `sub`),
 * never a claim. Pure: no claim value is ever returned anywhere but in the record.
 */
export function mapClaims(claims: Claims, mapping: ClaimMapping, patronId: string): MappedPatron {
  const record: Record<string, unknown> = { patronId };
  const address: Record<string, string> = {};
  const unusable: string[] = [];
  for (const [field, claim] of Object.entries(mapping)) {
    const reader = Object.hasOwn(READERS, field) ? READERS[field as keyof typeof READERS] : undefined;
    if (reader === undefined) continue;
    const raw = readClaim(claims, claim);
    if (raw === undefined || raw === null) continue;
    const value = reader(raw);
    if (value === undefined) {
      unusable.push(field);
    } else if (field.startsWith('address.')) {
      address[field.slice('address.'.length)] = value as string;
    } else {
      record[field] = value;
    }
  }
  if (Object.keys(address).length > 0) record['address'] = address;
  return { patron: record as unknown as Patron, unusable };
}
