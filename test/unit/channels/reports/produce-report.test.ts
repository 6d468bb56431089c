import { describe, expect, it } from 'vitest';
import { produceGrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { renderReportCsv, renderReportHtml, renderReportJson } from '../../../../src/channels/reports/render-report.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';

const keys = createTestKeys();
const NOW = new Date('2026-12-31T12:00:00Z');
const BRANCH_BY_QUARTER = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: quarter, from: date, generalize: quarter }], measures: [participants, attendances], minCellSize: 5 }');

function rows(spec: Array<[string, string, string]>): string {
  return ['patronId,branch,date', ...spec.map((r) => r.join(','))].join('\n');
}

describe('hand-computed tables', () => {
  // main Q3: p1 x3, p2..p6 -> 6 people, 8 attendances; east Q3: p7, p8 -> 2, 2 (too small)
  // main Q4: p1, p2, p9, p10, p11 -> 5, 5; east Q4: p7, p12..p16 -> 6, 6
  const input = rows([
    ['p1', 'main', '2026-07-01'], ['p1', 'main', '2026-07-08'], ['p1', 'main', '2026-07-15'],
    ['p2', 'main', '2026-07-01'], ['p3', 'main', '2026-07-01'], ['p4', 'main', '2026-07-01'], ['p5', 'main', '2026-07-01'], ['p6', 'main', '2026-07-01'],
    ['p7', 'east', '2026-08-01'], ['p8', 'east', '2026-08-01'],
    ['p1', 'main', '2026-10-01'], ['p2', 'main', '2026-10-01'], ['p9', 'main', '2026-10-01'], ['p10', 'main', '2026-10-01'], ['p11', 'main', '2026-10-01'],
    ['p7', 'east', '2026-11-01'], ['p12', 'east', '2026-11-01'], ['p13', 'east', '2026-11-01'], ['p14', 'east', '2026-11-01'], ['p15', 'east', '2026-11-01'], ['p16', 'east', '2026-11-01'],
  ]);

  it('counts people distinct in every cell and total, and protects the small cell from the totals', async () => {
    const report = await produceGrantReport(csvStream(input), BRANCH_BY_QUARTER, { pseudonyms: keys, now: NOW });
    expect(renderReportCsv(report)).toBe(
      [
        'row,branch,quarter,participants,attendances',
        // east Q3 (2 people) is suppressed; the Q3 total would give it away, so main Q3 goes too,
        // and then the Q4 cells (published, with the branch totals they would pin both Q3 cells).
        // Four detailed cells cost less than two cells and two margins (detailed cells are
        // preferred); every total stays published, and the 2x2 cycle moves east Q3 both ways.
        'cell,east,2026-Q3,x,x',
        'cell,east,2026-Q4,x,x',
        'cell,main,2026-Q3,x,x',
        'cell,main,2026-Q4,x,x',
        'total over branch,Total,2026-Q3,8,10',
        'total over branch,Total,2026-Q4,11,11',
        'total over quarter,east,Total,7,8',
        'total over quarter,main,Total,9,13',
        'total over branch + quarter,Total,Total,16,21',
        '',
        'x: figure not published to protect small groups (8 of 18 figures)',
        '',
      ].join('\n'),
    );
    expect(report.summary).toMatchObject({ figures: 18, figuresSuppressed: 8 });
  });

  it('without totals, only the small cell is suppressed', async () => {
    const contract = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: quarter, from: date, generalize: quarter }], measures: [participants], minCellSize: 5, totals: false }');
    const report = await produceGrantReport(csvStream(input), contract, { pseudonyms: keys, now: NOW });
    expect(renderReportCsv(report)).toBe(['row,branch,quarter,participants', 'cell,east,2026-Q3,x', 'cell,east,2026-Q4,6', 'cell,main,2026-Q3,6', 'cell,main,2026-Q4,5', '', 'x: figure not published to protect small groups (1 of 4 figures)', ''].join('\n'));
  });

  it('a true zero stays zero', async () => {
    const contract = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: quarter, from: date, generalize: quarter }], measures: [attendances], minCellSize: 5, totals: false }');
    const spec: Array<[string, string, string]> = [];
    for (let i = 0; i < 6; i++) spec.push([`a${i}`, 'main', '2026-07-01'], [`b${i}`, 'east', '2026-10-01']);
    const report = await produceGrantReport(csvStream(rows(spec)), contract, { pseudonyms: keys, now: NOW });
    expect(renderReportCsv(report)).toBe(['row,branch,quarter,attendances', 'cell,east,2026-Q3,0', 'cell,east,2026-Q4,6', 'cell,main,2026-Q3,6', 'cell,main,2026-Q4,0', '', 'x: figure not published to protect small groups (0 of 4 figures)', ''].join('\n'));
  });

  it('a person attending often is still one participant: attendances alone cannot hide a small group', async () => {
    const contract = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants, attendances], minCellSize: 5, totals: false }');
    const spec: Array<[string, string, string]> = Array.from({ length: 20 }, (_, i) => ['p1', 'main', `2026-07-${String(i + 1).padStart(2, '0')}`]);
    const report = await produceGrantReport(csvStream(rows(spec)), contract, { pseudonyms: keys, now: NOW });
    expect(renderReportCsv(report)).toBe(['row,branch,participants,attendances', 'cell,main,x,x', '', 'x: figure not published to protect small groups (2 of 2 figures)', ''].join('\n'));
  });

  it('never prints an identifier, a name, a birth date or a full postal code, in any format', async () => {
    const contract = grantContract('{ dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants, attendances], minCellSize: 5 }');
    const spec = Array.from({ length: 30 }, (_, i) => `IDCANARY${i},${i % 2 ? 'Zebediah' : 'Quillon'},20${String(10 + (i % 5)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10},0688${i % 10},2026-07-0${1 + (i % 9)}`);
    const report = await produceGrantReport(csvStream(['patronId,firstName,birthDate,postalCode,date', ...spec].join('\n')), contract, { pseudonyms: keys, now: NOW });
    for (const text of [renderReportCsv(report), renderReportJson(report), renderReportHtml(report)]) {
      expect(text).not.toMatch(/IDCANARY|Zebediah|Quillon|\b20\d\d-0\d-1\d\b|0688\d/);
    }
  });
});
