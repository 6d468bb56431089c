import { stringify } from 'csv-stringify/sync';

/** One CSV cell: text, or a number the gateway computed (a count). */
export type CsvCell = string | number;

/**
 * What a spreadsheet may read as the start of a formula (OWASP, CSV injection): = + - @, tab,
 * carriage return and line feed, and their fullwidth forms (＝ ＋ － ＠), which some spreadsheets
 * fold into the plain ones. Checked at the start of the text and after any leading spaces.
 */
const FORMULA_START = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

/**
 * A text cell a spreadsheet cannot run: one that could start a formula gets a leading `'`, which
 * spreadsheets show as text and do not evaluate. Other text is left as it is.
 */
export function neutralizeCsvText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * CSV text (one record a line, `\n` endings) that is safe to open in a spreadsheet: every text
 * cell goes through neutralizeCsvText, so a cell from outside (a branch or programme name from a
 * participation file) cannot become a formula. A number stays a plain number, negative or not:
 * only the gateway's own counts are numbers, and `-3` read as minus three is what it means.
 * Quoting (commas, quotes, line breaks and carriage returns inside a cell) keeps every cell whole.
 * Every CSV the gateway writes goes through here.
 */
export function renderCsv(records: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  const cells = records.map((record) => record.map((cell) => (typeof cell === 'number' ? String(cell) : neutralizeCsvText(cell))));
  // csv-stringify quotes a cell holding the record delimiter (\n) but not a bare carriage return,
  // which many readers take for a line break: the rest of the cell would start a row of its own,
  // unneutralized. Every cell holding either is quoted.
  return stringify(cells, { record_delimiter: 'unix', escape_formulas: false, quoted_match: /[\r\n]/ });
}
