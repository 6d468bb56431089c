import { describe, expect, it } from 'vitest';
import { produceGrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { renderReportCsv, renderReportHtml, renderReportJson, renderReportSummary } from '../../../../src/channels/reports/render-report.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';

const keys = createTestKeys();
const NOW = new Date('2026-12-31T12:00:00Z');
const BY_BRANCH_AND_QUARTER = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: quarter, from: date, generalize: quarter }], measures: [participants, attendances], minCellSize: 5 }');

/** `n` people at a branch in a quarter, each attending `visits` times (ids unique per call). */
function people(prefix: string, branch: string, date: string, n: number, visits = 1): string[] {
  const lines: string[] = [];
  for (let p = 0; p < n; p++) for (let v = 0; v < visits; v++) lines.push(`${prefix}${p},${branch},${date.slice(0, 8)}${String(v + 1).padStart(2, '0')}`);
  return lines;
}

// A branch literally called `Total` (9 people in Q3, 8 in Q4), a small cell at `east` in Q4 (2
// people with 20 visits each: attendances 40, far above k) and complementary cells of 12 and more.
// Main (16 people) is there so that the grand total differs from every branch.
const INPUT = ['patronId,branch,date', ...people('t', 'Total', '2026-07-01', 9), ...people('u', 'Total', '2026-10-01', 8), ...people('e', 'east', '2026-07-01', 12), ...people('f', 'east', '2026-10-01', 2, 20), ...people('m', 'main', '2026-07-01', 7), ...people('n', 'main', '2026-10-01', 9)].join('\n');

async function report() {
  return produceGrantReport(csvStream(INPUT), BY_BRANCH_AND_QUARTER, { pseudonyms: keys, now: NOW });
}

describe('honest output', () => {
  it.each([
    ['CSV', renderReportCsv],
    ['JSON', renderReportJson],
    ['HTML', renderReportHtml],
    ['summary', renderReportSummary],
  ] as const)('%s never prints "<k" (a figure of 40 is not below 5) nor which suppressed figures are primary or complementary', async (_format, render) => {
    const text = render(await report());
    expect(text).not.toMatch(/<5|&#60;5|primary|complementary/);
  });

  it.each([
    ['CSV', renderReportCsv, /\nx: figure not published to protect small groups \((\d+) of (\d+) figures\)\n$/],
    ['JSON', renderReportJson, /"footnote": "x: figure not published to protect small groups \((\d+) of (\d+) figures\)"/],
    ['HTML', renderReportHtml, /<p class="footnote">x: figure not published to protect small groups \((\d+) of (\d+) figures\)<\/p>/],
  ] as const)('%s explains the one marker in a footnote that counts the suppressed figures (the count is not hard-coded: it is the number of x in the table)', async (_format, render, footnote) => {
    const r = await report();
    const match = footnote.exec(render(r));
    expect(match).not.toBeNull();
    const marked = r.rows.reduce((n, row) => n + Object.values(row.counts).filter((c) => c === null).length, 0);
    expect(marked).toBeGreaterThan(0);
    expect(Number(match?.[1])).toBe(marked);
    expect(Number(match?.[2])).toBe(r.rows.length * 2);
  });

  it('every suppressed figure in the CSV is the one marker x, and every x is a suppressed figure', async () => {
    const r = await report();
    const lines = renderReportCsv(r).split('\n').slice(1, 1 + r.rows.length);
    lines.forEach((line, i) => {
      const figures = line.split(',').slice(3);
      const row = r.rows[i];
      expect(figures).toEqual([row?.counts['participants'], row?.counts['attendances']].map((c) => (c === null ? 'x' : String(c))));
    });
  });

  it('a branch called Total is told from a margin by the row column (the value alone cannot tell them apart)', async () => {
    const lines = renderReportCsv(await report()).split('\n');
    expect(lines[0]).toBe('row,branch,quarter,participants,attendances');
    // The branch named Total, summed over quarters, against the grand total: both say Total, Total.
    expect(lines).toContain('total over quarter,Total,Total,17,17');
    expect(lines.filter((l) => l.startsWith('total over branch + quarter,Total,Total,'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('cell,Total,')).map((l) => l.split(',')[2])).toEqual(['2026-Q3', '2026-Q4']);
    const json = JSON.parse(renderReportJson(await report())) as { rows: Array<{ values: Array<string | null>; summedOver: string[] }> };
    expect(json.rows.find((row) => row.values[0] === 'Total' && row.values[1] === null)?.summedOver).toEqual(['quarter']);
  });

  it('the HTML chart marks a suppressed bar with x instead of drawing it as 0', async () => {
    const byBranch = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants], minCellSize: 5, totals: false }');
    const r = await produceGrantReport(csvStream([INPUT, ...people('w', 'west', '2026-07-01', 3)].join('\n')), byBranch, { pseudonyms: keys, now: NOW });
    const page = renderReportHtml(r);
    const chart = /<svg[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    const west = r.rows.find((row) => row.values[0] === 'west');
    expect(west?.counts['participants']).toBeNull();
    expect(chart).toMatch(/>Total<\/text><rect[^>]*><\/rect><text[^>]*>17<\/text>/);
    expect(chart).toMatch(/>west<\/text><text class="missing"[^>]*>x<\/text>/);
    expect(chart).not.toMatch(/>west<\/text><rect/);
    expect(chart).not.toMatch(/>0<\/text>/);
  });
});
