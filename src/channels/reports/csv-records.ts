/** Broken quoting in a CSV file, with the line where it was found. */
export class CsvSyntaxError extends Error {
  readonly code: 'CSV_QUOTE_NOT_CLOSED' | 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_INVALID_OPENING_QUOTE';
  readonly lines: number;
  constructor(code: CsvSyntaxError['code'], lines: number) {
    super(`${code} at line ${lines}`);
    this.name = 'CsvSyntaxError';
    this.code = code;
    this.lines = lines;
  }
}

export interface CsvRecordReader {
  /** Reads the next piece of text (records may span pieces). Throws CsvSyntaxError. */
  push(text: string): void;
  /** The end of the text: the last record, or CsvSyntaxError when a quoted field is still open. */
  end(): void;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: the field's end, or the first of a doubled quote. */
const QUOTE_SEEN = 3;

/**
 * A streaming RFC 4180 reader: comma-separated fields, double quotes around fields that hold
 * commas, quotes ("" for one) or line breaks; records end at LF, CRLF or CR; a leading byte-order
 * mark is skipped; fields are not trimmed and records may have any number of fields (an empty
 * line is one empty field). A quote inside an unquoted field, text after a closing quote, or a
 * quoted field left open at the end is an error that names the line (where the open quote is). `onRecord` gets each record
 * with the line it ends on (1-based; line breaks inside quotes count). Replaces a general parser
 * on the report's hot path: one pass over each character, fields sliced from the text.
 */
export function createCsvRecordReader(onRecord: (fields: string[], line: number) => void): CsvRecordReader {
  let state = FIELD_START;
  let fields: string[] = [];
  /** The part of the current field read from earlier pieces (a field that spans pieces). */
  let partial = '';
  let line = 1;
  /** Where the open quoted field started (named when it is never closed). */
  let quoteLine = 1;
  let skipLineFeed = false;
  let first = true;
  const endRecord = (): void => {
    const record = fields;
    fields = [];
    onRecord(record, line);
    line += 1;
  };
  return {
    push(input: string): void {
      let text = input;
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      const length = text.length;
      for (let i = 0; i < length; i++) {
        const c = text.charCodeAt(i);
        if (skipLineFeed) {
          skipLineFeed = false;
          if (c === LF) {
            start = i + 1;
            continue;
          }
        }
        switch (state) {
          case FIELD_START:
          case UNQUOTED:
            if (c === COMMA) {
              fields.push(partial + text.slice(start, i));
              partial = '';
              start = i + 1;
              state = FIELD_START;
            } else if (c === LF || c === CR) {
              fields.push(partial + text.slice(start, i));
              partial = '';
              start = i + 1;
              state = FIELD_START;
              skipLineFeed = c === CR;
              endRecord();
            } else if (c === QUOTE) {
              if (state === UNQUOTED) throw new CsvSyntaxError('CSV_INVALID_OPENING_QUOTE', line);
              state = QUOTED;
              quoteLine = line;
              start = i + 1;
            } else state = UNQUOTED;
            break;
          case QUOTED:
            if (c === QUOTE) {
              partial += text.slice(start, i);
              state = QUOTE_SEEN;
            } else if (c === LF) line += 1;
            else if (c === CR && text.charCodeAt(i + 1) !== LF) line += 1;
            break;
          default:
            // QUOTE_SEEN
            if (c === QUOTE) {
              // A doubled quote: the second one is text, and the field goes on.
              start = i;
              state = QUOTED;
            } else if (c === COMMA) {
              fields.push(partial);
              partial = '';
              start = i + 1;
              state = FIELD_START;
            } else if (c === LF || c === CR) {
              fields.push(partial);
              partial = '';
              start = i + 1;
              state = FIELD_START;
              skipLineFeed = c === CR;
              endRecord();
            } else throw new CsvSyntaxError('CSV_INVALID_CLOSING_QUOTE', line);
        }
      }
      if (state === FIELD_START || state === UNQUOTED || state === QUOTED) partial += text.slice(start, length);
    },
    end(): void {
      if (state === QUOTED) throw new CsvSyntaxError('CSV_QUOTE_NOT_CLOSED', quoteLine);
      if (state === QUOTE_SEEN) {
        fields.push(partial);
        partial = '';
        endRecord();
        return;
      }
      if (state === UNQUOTED || fields.length > 0 || partial !== '') {
        fields.push(partial);
        partial = '';
        endRecord();
      }
    },
  };
}
