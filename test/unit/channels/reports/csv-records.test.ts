import { fc, test } from '@fast-check/vitest';
import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { createCsvRecordReader, CsvSyntaxError } from '../../../../src/channels/reports/csv-records.ts';

type Read = Array<[string[], number]>;

function readPieces(pieces: ReadonlyArray<string>): Read {
  const out: Read = [];
  const reader = createCsvRecordReader((fields, line) => out.push([fields, line]));
  for (const piece of pieces) reader.push(piece);
  reader.end();
  return out;
}

/** The general parser the reader replaces, with the options the report used. */
function readWithCsvParse(text: string): Promise<Read> {
  return new Promise((resolve, reject) => {
    const out: Read = [];
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, trim: false });
    parser.on('data', (record: string[]) => out.push([record, parser.info.lines]));
    parser.on('end', () => resolve(out));
    parser.on('error', reject);
    parser.end(text);
  });
}

/** Cuts text at the given fractions (records and quoted fields then span pieces). */
function cut(text: string, fractions: ReadonlyArray<number>): string[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(text.slice(from, p));
    from = p;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const field = fc.array(fc.constantFrom('a', 'b', ' ', ',', '"', '\n', 'é', '1', '-'), { maxLength: 6 }).map((chars) => chars.join(''));
const quote = (f: string): string => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);

describe('createCsvRecordReader', () => {
  test.prop([fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 })], { numRuns: 300 })(
    'reads what csv-parse reads (fields and the line each record ends on), however the text is cut into pieces',
    async (records, newline, trailing, fractions) => {
      const text = records.map((r) => r.map(quote).join(',')).join(newline) + (trailing ? newline : '');
      expect(readPieces(cut(text, fractions))).toEqual(await readWithCsvParse(text));
    },
  );

  it.each([
    ['an empty line is one empty field', ['a,b\n\nc\n'], [[['a', 'b'], 1], [[''], 2], [['c'], 3]]],
    ['a byte-order mark at the start is skipped', ['\uFEFFid,x\n'], [[['id', 'x'], 1]]],
    ['a CRLF cut between CR and LF is one line break', ['a,b\r', '\nc\r\n'], [[['a', 'b'], 1], [['c'], 2]]],
    ['a bare CR ends a record', ['a\rb'], [[['a'], 1], [['b'], 2]]],
    ['a line break inside quotes is text, and the record ends on the next line', ['x,"1\n2",y\nz\n'], [[['x', '1\n2', 'y'], 2], [['z'], 3]]],
    ['a doubled quote cut between its two quotes is one quote', ['"a"', '"b",c\n'], [[['a"b', 'c'], 1]]],
    ['a trailing comma is one more empty field', ['a,\n'], [[['a', ''], 1]]],
    ['no line break at the end: the last record is still read', ['a,b'], [[['a', 'b'], 1]]],
  ])('%s', (_name, pieces, expected) => {
    expect(readPieces(pieces)).toEqual(expected);
  });

  it.each([
    ['a quoted field still open at the end names the line of its quote', 'id\n"abc\nmore\n', 'CSV_QUOTE_NOT_CLOSED', 2],
    ['text after a closing quote', 'id\n"a"b,c\n', 'CSV_INVALID_CLOSING_QUOTE', 2],
    ['a space after a closing quote', 'id\n"a" ,c\n', 'CSV_INVALID_CLOSING_QUOTE', 2],
    ['a quote inside an unquoted field', 'id\nab"c\n', 'CSV_INVALID_OPENING_QUOTE', 2],
  ])('broken quoting is an error naming the line: %s', (_name, text, code, line) => {
    const failure = (() => {
      try {
        readPieces([text]);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(CsvSyntaxError);
    expect((failure as CsvSyntaxError).code).toBe(code);
    expect((failure as CsvSyntaxError).lines).toBe(line);
  });
});
