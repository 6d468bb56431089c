import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { neutralizeCsvText, renderCsv } from '../../../src/lib/render-csv.ts';

const parseCsv = (text: string): string[][] => parse(text, { relax_column_count: false });

describe('renderCsv writes cells no spreadsheet runs (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://x.example","click")', 'an equals sign starts a formula'],
    ['+1+1', 'a plus sign starts a formula'],
    ["-2+3+cmd|' /C calc'!A0", 'a minus sign starts a formula (the DDE example)'],
    ['-5', 'a minus sign in text is still text: only computed numbers are written as numbers'],
    ['@SUM(A1)', 'an at-sign starts a formula'],
    ['\t=1+1', 'a leading tab is read past by some spreadsheets'],
    ['\r=1+1', 'a leading carriage return is read past by some spreadsheets'],
    ['\n=1+1', 'a leading line feed likewise'],
    ['\uff1d1+1', 'a fullwidth equals sign is folded into = by some spreadsheets'],
    ['\uff0b1', 'a fullwidth plus sign'],
    ['\uff0d1', 'a fullwidth minus sign'],
    ['\uff20SUM(A1)', 'a fullwidth at-sign'],
    ['  =1+1', 'spaces before a formula sign'],
    ['\u00a0=1+1', 'a no-break space before a formula sign'],
  ])('a text cell %j gets a leading apostrophe (%s)', (text) => {
    const csv = renderCsv([['name', 'count'], [text, 7]]);
    expect(parseCsv(csv)).toEqual([['name', 'count'], [`'${text}`, '7']]);
    expect(neutralizeCsvText(text)).toBe(`'${text}`);
  });

  it.each([
    ['main', 'ordinary text'],
    ['east, annex', 'a comma stays inside its cell'],
    ['Main "Central" Library', 'quotes are doubled, not split'],
    ['two\nlines', 'a line break inside a cell stays inside it'],
    ['main\r@SUM(A1)', 'a carriage return inside a cell stays inside it (readers that break lines there would start a row with the formula)'],
    ['a=b', 'a formula sign that is not at the start'],
    ["'=already", 'text already starting with an apostrophe'],
    ['Total', 'the totals label'],
    ['<11', 'a suppressed count'],
    ['', 'an empty cell'],
  ])('a text cell %j is kept as it is (%s)', (text) => {
    expect(parseCsv(renderCsv([['name'], [text]]))).toEqual([['name'], [text]]);
    // Read as a spreadsheet does, with a bare CR as a line break too: still one cell.
    expect(parse(renderCsv([['name'], [text]]), { record_delimiter: ['\r\n', '\n', '\r'] })).toEqual([['name'], [text]]);
    expect(neutralizeCsvText(text)).toBe(text);
  });

  it.each([
    [-3, '-3', 'a negative count (not produced today, but a number is a number)'],
    [0, '0', 'zero'],
    [12, '12', 'a count'],
    [1.5, '1.5', 'a fraction'],
  ])('a number %d is written as the plain number %s (%s)', (value, written) => {
    const csv = renderCsv([['n'], [value]]);
    expect(csv).toBe(`n\n${written}\n`);
    expect(parseCsv(csv)).toEqual([['n'], [written]]);
  });

  it('writes one record a line with \\n endings', () => {
    expect(renderCsv([['a', 'b'], ['c', 1]])).toBe('a,b\nc,1\n');
  });

  it('is the only CSV writer in src/: nothing else imports csv-stringify, and whatever serves CSV renders it with renderReportCsv (which uses renderCsv)', async () => {
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    await walk('src');
    const writers: string[] = [];
    const servers: string[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      if (/from 'csv-stringify/.test(text)) writers.push(file);
      if (/'text\/csv; charset/.test(text)) servers.push(file);
    }
    expect(writers).toEqual([join('src', 'lib', 'render-csv.ts')]);
    expect(servers.sort()).toEqual([join('src', 'channels', 'reports', 'console', 'staff-report-routes.ts'), join('src', 'cli', 'commands', 'report.ts')]);
    for (const file of servers) expect(await readFile(file, 'utf8')).toMatch(/csv: [^\n]*renderReportCsv|renderReportCsv\(report\)/);
    expect(await readFile(join('src', 'channels', 'reports', 'render-report.ts'), 'utf8')).toMatch(/return renderCsv\(records\)/);
  });
});

const TRIGGERS = '=+-@\t\r\n\uff1d\uff0b\uff0d\uff20';
const risky = fc.tuple(fc.constantFrom('', ' ', '  ', '\u00a0'), fc.constantFrom(...TRIGGERS), fc.string({ maxLength: 12 })).map(([pad, t, rest]) => pad + t + rest);

describe('renderCsv (properties)', () => {
  test.prop([fc.array(fc.array(fc.oneof(fc.string({ maxLength: 20 }), risky, fc.integer({ min: -1000, max: 1000 })), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 })], { numRuns: 2_000 })(
    'every cell reads back as itself or with one leading apostrophe, and no text cell reads back starting a formula',
    (rows) => {
      const width = Math.max(...rows.map((r) => r.length));
      const records = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
      const parsed = parseCsv(renderCsv(records));
      expect(parsed).toHaveLength(records.length);
      records.forEach((record, i) =>
        record.forEach((cell, j) => {
          const read = parsed[i]?.[j] ?? '';
          if (typeof cell === 'number') return expect(read).toBe(String(cell));
          expect(read === cell || read === `'${cell}`).toBe(true);
          expect(/^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/.test(read)).toBe(false);
        }),
      );
    },
  );
});

