import { describe, expect, it } from 'vitest';
import type { GrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { renderReportHtml, renderReportSummary } from '../../../../src/channels/reports/render-report.ts';

/** A report as produceGrantReport makes them, written out so that every line of the output is known. */
function report(overrides: Partial<GrantReport> = {}, summary: Partial<GrantReport['summary']> = {}): GrantReport {
  return {
    grant: { id: 'g', name: 'Reading Grant', reference: 'R-1' },
    period: '2026-Q3',
    generatedAt: '2026-12-31T12:00:00.000Z',
    minCellSize: 5,
    dimensions: ['branch', 'age'],
    measures: ['participants', 'attendances'],
    rows: [
      { values: ['east', '0-5'], counts: { participants: 7, attendances: 9 }, total: false, summedOver: [] },
      { values: ['east', '6-11'], counts: { participants: null, attendances: null }, total: false, summedOver: [] },
      { values: ['east', null], counts: { participants: 12, attendances: 20 }, total: true, summedOver: ['age'] },
      { values: [null, '0-5'], counts: { participants: 7, attendances: 9 }, total: true, summedOver: ['branch'] },
      { values: [null, null], counts: { participants: 12, attendances: 20 }, total: true, summedOver: ['branch', 'age'] },
    ],
    footnote: 'x: figure not published to protect small groups (2 of 10 figures)',
    summary: {
      rowsRead: 40,
      rowsUsed: 29,
      blankLines: 1,
      rejected: {},
      outsidePeriod: 11,
      columnsDropped: 3,
      knownColumnsDropped: [],
      cellsPublished: 5,
      figures: 10,
      figuresSuppressed: 2,
      linkedTables: 1,
      generalizations: [
        { dimension: 'branch', from: 'branch', generalize: 'none' },
        { dimension: 'age', from: 'birthDate', generalize: 'ageBand' },
      ],
      ...summary,
    },
    ...overrides,
  } as GrantReport;
}

describe('renderReportSummary states what was done, line by line', () => {
  it('a report without rejections, known columns or noise', () => {
    expect(renderReportSummary(report()).split('\n')).toEqual([
      'Grant report for Reading Grant (g, R-1), period 2026-Q3',
      'Rows read: 40; used: 29; outside the period: 11; blank lines skipped: 1',
      'Rows rejected: none',
      'Columns dropped as read: 3',
      'Generalizations: branch -> branch (none); birthDate -> age (ageBand)',
      'Cells in the table: 5; figures: 10, of which suppressed (shown as x): 2',
      'Published tables of this grant linked to this period (release ledger): 1',
      'Noise: none (exact counts)',
      'Footnote: x: figure not published to protect small groups (2 of 10 figures)',
    ]);
  });

  it('rejections by reason (an ellipsis when more lines than listed), known columns named, noise per person, no period', () => {
    const noisy = report(
      { noise: { mechanism: 'discrete-laplace', epsilon: 1, maxAttendancesPerPerson: 8, maxCellsPerPerson: 3, epsilonPerFigure: 0.125 } },
      { rejected: { 'duplicate row': { count: 12, lines: [3, 4] }, 'unparseable date': { count: 2, lines: [7, 9] } }, knownColumnsDropped: ['firstName', 'notes'] },
    );
    const { period: _omitted, ...withoutPeriod } = noisy;
    expect(renderReportSummary(withoutPeriod as GrantReport).split('\n')).toEqual([
      'Grant report for Reading Grant (g, R-1)',
      'Rows read: 40; used: 29; outside the period: 11; blank lines skipped: 1',
      'Rows rejected (duplicate row): 12, at line(s) 3, 4, ...',
      'Rows rejected (unparseable date): 2, at line(s) 7, 9',
      'Columns dropped as read: 3 (including firstName, notes)',
      'Generalizations: branch -> branch (none); birthDate -> age (ageBand)',
      'Cells in the table: 5; figures: 10, of which suppressed (shown as x): 2',
      'Published tables of this grant linked to this period (release ledger): 1',
      'Noise: discrete Laplace, epsilon 1 per person (each person counts for at most 8 attendance(s) in at most 3 cell(s); each detailed figure gets epsilon 0.125; totals are sums of the noisy cells, so a person in two cells counts twice in a participants total)',
      'Footnote: x: figure not published to protect small groups (2 of 10 figures)',
    ]);
  });
});

describe('renderReportHtml', () => {
  it('titles, the chart of the first measure by the first dimension (its margins), the table with row kinds, and the summary', () => {
    const page = renderReportHtml(report());
    expect(page).toMatch(/^<!doctype html><html lang="en">/);
    expect(page).toContain('<title>Reading Grant: participation report</title>');
    expect(page).toContain('<p>Grant R-1, period 2026-Q3. Generated 2026-12-31.</p>');
    expect(page).toContain('<h2>participants by branch</h2>');
    expect(page).toContain('<title id="chart-title">participants by branch (figures not published are marked x)</title>');
    // The chart's bars: the margins over every dimension but the first (east / Total, 12).
    expect([...page.matchAll(/text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(['east / Total']);
    expect(page).toMatch(/>12<\/text>\s*<\/svg>/);
    expect(page).toContain('<thead><tr><th scope="col">row</th><th scope="col">branch</th><th scope="col">age</th><th scope="col">participants</th><th scope="col">attendances</th></tr></thead>');
    expect(page).toContain('<tr><td>cell</td><td>east</td><td>6-11</td><td class="n" data-measure="participants">x</td><td class="n" data-measure="attendances">x</td></tr>');
    expect(page).toContain('<tr class="total"><td>total over branch + age</td><td>Total</td><td>Total</td><td class="n" data-measure="participants">12</td><td class="n" data-measure="attendances">20</td></tr>');
    expect(page).toContain('<pre>Grant report for Reading Grant (g, R-1), period 2026-Q3\n');
    expect(page).not.toContain('noise');
  });

  it('without margins of the first dimension, the chart shows the detailed cells (a suppressed one as x), labelled by every value', () => {
    // The grand total is no margin of the first dimension, and no detailed cell: not charted.
    const detailedOnly = report({ rows: report().rows.filter((r) => !r.total || r.summedOver.length === 2), dimensions: ['branch', 'age'] });
    const page = renderReportHtml(detailedOnly);
    expect([...page.matchAll(/text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(['east / 0-5', 'east / 6-11']);
    expect(page).toMatch(/>east \/ 6-11<\/text><text class="missing"[^>]*>x<\/text>/);
  });

  it('with three dimensions, charts only the margins over every other dimension (not one summed over some of them)', () => {
    const three = report({
      dimensions: ['branch', 'age', 'month'],
      rows: [
        { values: ['east', null, '2026-07'], counts: { participants: 9, attendances: 9 }, total: true, summedOver: ['age'] },
        { values: ['east', null, null], counts: { participants: 15, attendances: 15 }, total: true, summedOver: ['age', 'month'] },
      ],
    });
    expect([...renderReportHtml(three).matchAll(/text-anchor="end"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(['east / Total / Total']);
  });

  it('states noise per person in the text when there is noise', () => {
    const page = renderReportHtml(report({ noise: { mechanism: 'discrete-laplace', epsilon: 0.5, maxAttendancesPerPerson: 8, maxCellsPerPerson: 3, epsilonPerFigure: 0.05 } }));
    expect(page).toContain('Counts include random noise (discrete Laplace, epsilon 0.5 per person).');
  });
});
