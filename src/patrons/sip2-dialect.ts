/**
 * Maps an ILS's 64 to the canonical patron through the library's dialect (which field carries
 * what, per ILS: reference sections 6 and 10.4). Pure. Only the fields the dialect names are read;
 * item lists, counts, fines, screen messages and unnamed extension fields are never looked at.
 */
import type { Patron } from '../policy/patron.ts';
import { readExtensionField } from '../sip2/extension-fields.ts';
import { languageTagOf } from '../sip2/languages.ts';
import { PATRON_INFORMATION_RESPONSE_SPEC, type PatronInformationResponse } from '../sip2/messages/patron-information.ts';

export interface Sip2Dialect {
  readonly nameFormat: 'last, first' | 'first last';
  readonly patronId?: string | undefined;
  readonly birthDate?: string | undefined;
  readonly patronType?: string | undefined;
  readonly homeBranch?: string | undefined;
}

export type MappedPatron = { readonly ok: true; readonly patron: Patron } | { readonly ok: false; readonly reason: 'no_patron_id' };

/** The 64's own single-value fields by ID (BD, BE...), for a dialect that names one of them. */
const STANDARD_FIELDS = new Map(PATRON_INFORMATION_RESPONSE_SPEC.variable.filter((field) => field.kind === 'text').map((field) => [field.id, field.name]));

/** The value of a named field: one of the 64's own fields, or an extension (AQ, PB, PC, XI...). */
function readDialectField(answer: PatronInformationResponse, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const property = STANDARD_FIELDS.get(id);
  const raw = property === undefined ? readExtensionField(answer, id) : (answer as unknown as Readonly<Record<string, unknown>>)[property];
  const value = typeof raw === 'string' ? raw.trim() : undefined;
  return value === undefined || value === '' ? undefined : value;
}

/** First and last name from AE, written as the dialect says. */
export function splitPersonalName(personalName: string, format: Sip2Dialect['nameFormat']): { firstName?: string; lastName?: string } {
  const name = personalName.trim().replace(/\s+/g, ' ');
  if (name === '') return {};
  if (format === 'last, first') {
    const comma = name.indexOf(',');
    if (comma < 0) return { lastName: name };
    const lastName = name.slice(0, comma).trim();
    const firstName = name.slice(comma + 1).trim();
    return { ...(firstName !== '' ? { firstName } : {}), ...(lastName !== '' ? { lastName } : {}) };
  }
  const space = name.lastIndexOf(' ');
  if (space < 0) return { lastName: name };
  return { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
}

const BIRTH_DATE = /^(\d{4})(\d{2})(\d{2})/;

/** YYYY-MM-DD from YYYYMMDD (PB) or `YYYYMMDD HHMMSS` (Polaris BC); undefined when it is not a real date. */
export function readBirthDate(value: string | undefined): string | undefined {
  const match = value === undefined ? null : BIRTH_DATE.exec(value);
  if (match === null) return undefined;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  // A real day of the proleptic Gregorian calendar (as Date would say, without building one per lookup).
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return `${year}-${month}-${day}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The canonical patron of a 64 whose BL and CQ said yes. */
export function mapSip2Patron(answer: PatronInformationResponse, dialect: Sip2Dialect, requestedBarcode: string): MappedPatron {
  const barcode = answer.patronIdentifier.trim() || requestedBarcode;
  let patronId = barcode;
  if (dialect.patronId !== undefined) {
    const internal = readDialectField(answer, dialect.patronId);
    if (internal === undefined) return { ok: false, reason: 'no_patron_id' };
    patronId = internal;
  }
  const email = answer.emailAddress?.trim();
  const phone = answer.homePhoneNumber?.trim();
  const street = answer.homeAddress?.trim();
  const birthDate = readBirthDate(readDialectField(answer, dialect.birthDate));
  const patronType = readDialectField(answer, dialect.patronType);
  const homeBranch = readDialectField(answer, dialect.homeBranch);
  const language = languageTagOf(answer.language);
  const patron: Patron = {
    patronId,
    barcode,
    ...splitPersonalName(answer.personalName, dialect.nameFormat),
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    ...(street ? { address: { street } } : {}),
    ...(birthDate !== undefined ? { birthDate } : {}),
    ...(patronType !== undefined ? { patronType } : {}),
    ...(homeBranch !== undefined ? { homeBranch } : {}),
    ...(language !== undefined ? { language } : {}),
  };
  return { ok: true, patron: Object.freeze(patron) };
}
