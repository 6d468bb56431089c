import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { findExposedCells } from '../../../../src/channels/reports/find-exposed-cells.ts';
import { produceGrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { renderReportCsv, renderReportHtml, renderReportJson } from '../../../../src/channels/reports/render-report.ts';
import { buildReportTable } from '../../../../src/channels/reports/report-table.ts';
import { suppressCells } from '../../../../src/channels/reports/suppress-cells.ts';
import { ParticipationTally } from '../../../../src/channels/reports/participation-tally.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { auditExposure } from '../../../helpers/exact-audit.ts';
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
        // and then the branch totals (east Q4 and main Q4 published would pin both Q3 cells).
        // The cheapest alternative table the solver finds moves 2 attendance figures per side.
        'cell,east,2026-Q3,x,x',
        'cell,east,2026-Q4,6,6',
        'cell,main,2026-Q3,x,x',
        'cell,main,2026-Q4,5,5',
        'total over branch,Total,2026-Q3,8,10',
        'total over branch,Total,2026-Q4,11,11',
        'total over quarter,east,Total,x,x',
        'total over quarter,main,Total,x,x',
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

describe('suppression (properties)', () => {
  // Small random tables: 2 or 3 dimensions with 1 to 4 values, counts 0 to 30 per detailed cell.
  const tableArbitrary = fc
    .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 5, max: 11 }))
    .chain(([dims, k]) =>
      fc.tuple(
        fc.constant(k),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: dims, maxLength: dims }),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 64, maxLength: 64 }),
        fc.boolean(),
      ),
    );

  function makeTable(sizes: number[], counts: number[], totals: boolean, k: number) {
    const names = sizes.map((_, d) => `d${d}`);
    const report = grantContract(`{ dimensions: [${names.map((n) => `{ name: ${n}, from: ${n === 'd0' ? 'branch' : n === 'd1' ? 'program' : 'date'}, generalize: ${n === 'd2' ? 'year' : 'none'} }`).join(', ')}], measures: [attendances], minCellSize: ${k}, totals: ${totals} }`).report;
    if (!report) throw new Error('no report');
    const tally = new ParticipationTally(sizes.length);
    let cell = 0;
    const walk = (prefix: string[]): void => {
      if (prefix.length === sizes.length) {
        const n = counts[cell++ % counts.length] ?? 0;
        for (let i = 0; i < n; i++) tally.add(prefix, undefined);
        if (n === 0) tally.add(prefix, undefined); // make the value known, then remove its count below
        if (n === 0) tally.attendances.set(prefix.map((v, d) => String(tally.dictionaries[d]?.get(v))).join(','), 0);
        return;
      }
      const d = prefix.length;
      for (let v = 0; v < (sizes[d] ?? 1); v++) walk([...prefix, d === 2 ? String(2020 + v) : `v${v}`]);
    };
    walk([]);
    return { table: buildReportTable(tally, report), k };
  }

  test.prop([tableArbitrary], { numRuns: 300 })('no published cell is between 1 and k-1', ([k, sizes, counts, totals]) => {
    const { table } = makeTable(sizes, counts, totals, k);
    suppressCells(table, k);
    for (const cell of table.cells) if (!cell.suppressed) expect(cell.attendances === 0 || cell.attendances >= k).toBe(true);
  });

  test.prop([tableArbitrary.filter(([, , , totals]) => totals)], { numRuns: 300 })('no suppressed cell is determined by the published figures (exact linear-algebra audit)', ([k, sizes, counts]) => {
    const { table } = makeTable(sizes, counts, true, k);
    suppressCells(table, k);
    const suppressed = table.cells.map((c, i) => (c.suppressed ? i : -1)).filter((i) => i >= 0);
    const equations = [...table.sums].map(([total, parts]) => ({ total, parts }));
    expect(auditExposure(equations, suppressed)).toEqual([]);
    // The gateway's own (floating point) audit agrees with the exact one.
    expect(findExposedCells(table.sums, new Set(suppressed))).toEqual([]);
  });

  it('the exact audit catches what a two-per-row rule misses', () => {
    // 2x2 table, all four detailed cells suppressed, but also one total suppressed: still safe.
    // 3x3 where a suppressed pattern has two per row and column yet is pinned by the totals:
    // cells a(0,0) b(0,1) c(1,0) suppressed, d(1,1) published: a+b, a+c, c+d sums published -> c = (c+d)-d, then a, then b.
    const equations = [
      { total: 10, parts: [0, 1] }, // row 0
      { total: 11, parts: [2, 3] }, // row 1
      { total: 12, parts: [0, 2] }, // column 0
      { total: 13, parts: [1, 3] }, // column 1
    ];
    expect(auditExposure(equations, [0, 1, 2])).toEqual([0, 1, 2]);
    expect(findExposedCells(new Map(equations.map((e) => [e.total, e.parts])), new Set([0, 1, 2]))).toEqual([0, 1, 2]);
    expect(auditExposure(equations, [0, 1, 2, 3])).toEqual([]);
  });
});
