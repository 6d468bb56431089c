import type { Patron } from '../../../policy/patron.ts';
import type { Sip2Account } from '../../../policy/sip2/sip2-account.ts';
import { readExtensionField } from '../../../sip2/extension-fields.ts';
import type { PatronInformationResponse } from '../../../sip2/messages/patron-information.ts';
import { renderPatronStatus } from '../../../sip2/patron-status.ts';
import type { IlsLookup } from './ils-client.ts';
import { IlsUnavailableError } from './ils-client.ts';

/** Which field of this ILS carries what (the patrons.sip2.dialect of issue 12). */
export interface IlsDialect {
  readonly nameFormat: 'last, first' | 'first last';
  /** The stable internal id; none: the barcode stands in. */
  readonly patronId?: string;
  readonly birthDate?: string;
  readonly patronType?: string;
  readonly homeBranch?: string;
  /** The expiry date (YYYYMMDD), PA on Evergreen. */
  readonly expiry?: string;
}

export const DEFAULT_DIALECT: IlsDialect = Object.freeze({ nameFormat: 'first last', birthDate: 'PB', patronType: 'PC', homeBranch: 'AQ', expiry: 'PA' });

const YYYYMMDD = /^(\d{4})(\d{2})(\d{2})/;
const AMOUNT = /^-?\d+(?:\.\d+)?$/;

/**
 * A 64 from the ILS as a canonical patron and an account, through the dialect. BL missing, or CQ
 * missing when a PIN was sent, is not an answer: "unknown" must never become "valid" or "wrong PIN".
 */
export function readIlsAnswer(response: PatronInformationResponse, barcode: string, pinSent: boolean, dialect: IlsDialect): IlsLookup {
  if (response.validPatron === undefined) throw new IlsUnavailableError('bad_status');
  if (pinSent && response.validPatronPassword === undefined) throw new IlsUnavailableError('bad_status');
  const account: Sip2Account = {
    valid: response.validPatron,
    ...(response.validPatronPassword !== undefined ? { pinValid: response.validPatronPassword } : {}),
    statusFlags: renderPatronStatus(response.patronStatus),
    ...optional('expires', readDate(dialect.expiry === undefined ? undefined : readExtensionField(response, dialect.expiry))),
    ...optional('feeAmount', response.feeAmount !== undefined && AMOUNT.test(response.feeAmount.trim()) ? Number(response.feeAmount.trim()) : undefined),
    ...optional('currency', response.currencyType || undefined),
  };
  if (!response.validPatron) return { patron: undefined, account };
  const [firstName, lastName] = splitName(response.personalName, dialect.nameFormat);
  const read = (id: string | undefined): string | undefined => (id === undefined ? undefined : readExtensionField(response, id) || undefined);
  const patron: Patron = {
    patronId: read(dialect.patronId) ?? barcode,
    barcode,
    ...optional('firstName', firstName),
    ...optional('lastName', lastName),
    ...optional('email', response.emailAddress || undefined),
    ...optional('phone', response.homePhoneNumber || undefined),
    ...(response.homeAddress ? { address: { street: response.homeAddress } } : {}),
    ...optional('birthDate', readDate(read(dialect.birthDate))),
    ...optional('patronType', read(dialect.patronType)),
    ...optional('homeBranch', read(dialect.homeBranch)),
  };
  return { patron, account };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** YYYYMMDD (with anything after it, as Polaris sends) as YYYY-MM-DD; anything else is no date. */
function readDate(text: string | undefined): string | undefined {
  const match = text === undefined ? null : YYYYMMDD.exec(text);
  return match === null ? undefined : `${match[1]}-${match[2]}-${match[3]}`;
}

function splitName(name: string, format: IlsDialect['nameFormat']): [string | undefined, string | undefined] {
  const trimmed = name.trim();
  if (trimmed === '') return [undefined, undefined];
  if (format === 'last, first') {
    const comma = trimmed.indexOf(',');
    if (comma < 0) return [undefined, trimmed];
    return [trimmed.slice(comma + 1).trim() || undefined, trimmed.slice(0, comma).trim() || undefined];
  }
  const space = trimmed.lastIndexOf(' ');
  if (space < 0) return [trimmed, undefined];
  return [trimmed.slice(0, space), trimmed.slice(space + 1)];
}
