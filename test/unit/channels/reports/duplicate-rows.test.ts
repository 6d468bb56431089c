import { describe, expect, it } from 'vitest';
import { produceGrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';

const keys = createTestKeys();
const NOW = new Date('2026-12-31T12:00:00Z');
// Only the branch is published: programme and notes are read past, but they still tell rows apart.
const BY_BRANCH = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [attendances], minCellSize: 5, totals: false }');
const HEADER = 'patronId,branch,program,date,notes';
// Five other attendances so the cell is published (k = 5) and its count can be read.
const BASE = ['q1,main,craft,2026-07-01,', 'q2,main,craft,2026-07-01,', 'q3,main,craft,2026-07-01,', 'q4,main,craft,2026-07-01,', 'q5,main,craft,2026-07-01,'];

describe('double entries are rows identical in every column of the input', () => {
  it.each([
    ['a child at two programmes on the same day is two attendances (the report does not publish programmes, but they differ)', ['p1,main,lego,2026-07-02,', 'p1,main,chess,2026-07-02,'], 7, 0],
    ['rows that differ only in a column the report drops (notes) are two attendances', ['p1,main,lego,2026-07-02,first', 'p1,main,lego,2026-07-02,second'], 7, 0],
    ['the same row twice is one attendance and one rejected duplicate', ['p1,main,lego,2026-07-02,', 'p1,main,lego,2026-07-02,'], 6, 1],
    ['the same row with stray spaces around fields is still a duplicate (fields are compared trimmed)', ['p1,main,lego,2026-07-02,', ' p1 ,main , lego,2026-07-02 , '], 6, 1],
    ['the same row three times is one attendance and two duplicates', ['p1,main,lego,2026-07-02,x', 'p1,main,lego,2026-07-02,x', 'p1,main,lego,2026-07-02,x'], 6, 2],
    ['two people on the same day at the same programme are two attendances', ['p1,main,lego,2026-07-02,', 'p2,main,lego,2026-07-02,'], 7, 0],
  ])('%s', async (_why, extra, attendances, duplicates) => {
    const report = await produceGrantReport(csvStream([HEADER, ...BASE, ...extra].join('\n')), BY_BRANCH, { pseudonyms: keys, now: NOW });
    expect(report.rows.find((r) => r.values[0] === 'main')?.counts['attendances']).toBe(attendances);
    expect(report.summary.rejected['duplicate row']?.count ?? 0).toBe(duplicates);
    expect(report.summary.rowsUsed).toBe(BASE.length + extra.length - duplicates);
  });
});
