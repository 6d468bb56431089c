/**
 * SIP2 variable fields: a 2-character field ID, the value, then `|` (reference sections 1 and
 * 4.10). Parsing is lenient: fields in any order, a value may contain a `|` that does not start a
 * field, `&#124;` stands for `|`, empty segments (`||`) are skipped. Rendering writes `|` inside a
 * value as `&#124;`, turns CR and LF into blanks and cuts values at 255 characters.
 */

/** Every standard field ID (4.10 and the 3M extensions) with its name, for logs and docs. */
export const FIELD_NAMES: Readonly<Record<string, string>> = {
  AA: 'patron identifier', AB: 'item identifier', AC: 'terminal password', AD: 'patron password',
  AE: 'personal name', AF: 'screen message', AG: 'print line', AH: 'due date', AJ: 'title identifier',
  AL: 'blocked card msg', AM: 'library name', AN: 'terminal location', AO: 'institution id',
  AP: 'current location', AQ: 'permanent location / home library', AS: 'hold items', AT: 'overdue items',
  AU: 'charged items', AV: 'fine items', AY: 'sequence number', AZ: 'checksum', BD: 'home address',
  BE: 'e-mail address', BF: 'home phone number', BG: 'owner', BH: 'currency type', BI: 'cancel',
  BK: 'transaction id', BL: 'valid patron', BM: 'renewed items', BN: 'unrenewed items',
  BO: 'fee acknowledged', BP: 'start item', BQ: 'end item', BR: 'queue position', BS: 'pickup location',
  BT: 'fee type', BU: 'recall items', BV: 'fee amount', BW: 'expiration date', BX: 'supported messages',
  BY: 'hold type', BZ: 'hold items limit', CA: 'overdue items limit', CB: 'charged items limit',
  CC: 'fee limit', CD: 'unavailable hold items', CF: 'hold queue length', CG: 'fee identifier',
  CH: 'item properties', CI: 'security inhibit', CJ: 'recall date', CK: 'media type', CL: 'sort bin',
  CM: 'hold pickup date', CN: 'login user id', CO: 'login password', CP: 'location code',
  CQ: 'valid patron password', CR: 'collection code', CS: 'call number', CT: 'destination location',
  CV: 'alert type', CY: 'hold patron id', DA: 'hold patron name',
};

/** The spec's cap on a value's length; longer values are cut when rendered. */
export const MAX_VALUE_LENGTH = 255;

/** A field as read: ID and value. */
export type RawField = readonly [id: string, value: string];

const ESCAPED_DELIMITER = '&#124;';
const NEEDS_ESCAPE = /[\r\n|]/;

function isUpper(character: string | undefined): boolean {
  return character !== undefined && character >= 'A' && character <= 'Z';
}

function isLower(character: string | undefined): boolean {
  return character !== undefined && character >= 'a' && character <= 'z';
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

/**
 * Whether the `|` at `index` ends a field: it is the last character, or another `|` follows, or
 * what follows looks like a field ID (an uppercase letter then an uppercase letter or digit, or
 * the same in lowercase). Any other `|` belongs to the value.
 */
function endsField(text: string, index: number): boolean {
  if (index + 1 >= text.length) return true;
  const first = text[index + 1];
  const second = text[index + 2];
  if (first === '|') return true;
  if (isUpper(first)) return isUpper(second) || isDigit(second);
  if (isLower(first)) return isLower(second) || isDigit(second);
  return false;
}

/** The fields of a variable part, in wire order. */
export function splitVariableFields(text: string): RawField[] {
  const fields: RawField[] = [];
  let start = 0;
  const take = (end: number): void => {
    if (end > start) {
      const segment = text.slice(start, end);
      fields.push([segment.slice(0, 2), unescapeValue(segment.slice(2))]);
    }
    start = end + 1;
  };
  for (let index = text.indexOf('|'); index !== -1; index = text.indexOf('|', index + 1)) {
    if (endsField(text, index)) take(index);
  }
  take(text.length);
  return fields;
}

/** A value as read: `&#124;` stands for `|`. */
export function unescapeValue(value: string): string {
  return value.includes(ESCAPED_DELIMITER) ? value.replaceAll(ESCAPED_DELIMITER, '|') : value;
}

/** A value as written: at most 255 characters, `|` as `&#124;`, CR and LF as blanks. */
export function escapeValue(value: string): string {
  // Most values need nothing: no regular expression or copy for them (two per lookup on each leg).
  if (value.length <= MAX_VALUE_LENGTH && !NEEDS_ESCAPE.test(value)) return value;
  const cut = value.length > MAX_VALUE_LENGTH ? value.slice(0, MAX_VALUE_LENGTH) : value;
  return cut.replace(/[\r\n]/g, ' ').replaceAll('|', ESCAPED_DELIMITER);
}

/** One rendered field: ID, escaped value and `|`. */
export function renderField(id: string, value: string): string {
  return `${id}${escapeValue(value)}|`;
}
