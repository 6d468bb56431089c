import { describe, expect, it } from 'vitest';
import { produceGrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { renderReportCsv } from '../../../../src/channels/reports/render-report.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';

const NOW = new Date('2026-12-31T12:00:00Z');
const BY_BRANCH = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants], minCellSize: 5, totals: false }');

describe('renderReportCsv', () => {
  it.each([
    ['=HYPERLINK("http://x.example")', 'a formula would run when the grant officer opens the file'],
    ['+1+1', 'a leading plus is a formula too'],
    ['@SUM(A1)', 'a leading at-sign is a formula too'],
    ['east, annex', 'a comma must not split the column'],
  ])('a branch named %j is published as one inert field (%s)', async (branch) => {
    const quoted = `"${branch.replace(/"/g, '""')}"`;
    const input = ['patronId,branch,date', ...[1, 2, 3, 4, 5].map((p) => `p${p},${quoted},2026-07-0${p}`)].join('\n');
    const report = await produceGrantReport(csvStream(input), BY_BRANCH, { pseudonyms: createTestKeys(), now: NOW });
    const csv = renderReportCsv(report);
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('row,branch,participants');
    expect(lines[3]).toBe('x: figure not published to protect small groups (0 of 1 figures)');
    const field = lines[1]?.slice('cell,'.length, lines[1].lastIndexOf(',')) ?? '';
    // Either quoted whole, or prefixed so that no spreadsheet reads it as a formula.
    expect(/^"?[=+\-@]/.test(field)).toBe(false);
    expect(lines[1]?.endsWith(',5')).toBe(true);
  });
});
