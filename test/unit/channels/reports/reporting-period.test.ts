import { describe, expect, it } from 'vitest';
import { resolveReportingPeriod } from '../../../../src/channels/reports/reporting-period.ts';
import { produceGrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';

describe('--period must be exactly one of the contract\'s reporting periods', () => {
  it.each([
    ['quarter', '2026-Q3', { kind: 'quarter', start: '2026-07-01', end: '2026-09-30' }],
    ['month', '2026-02', { kind: 'month', start: '2026-02-01', end: '2026-02-28' }],
    ['month', '2028-02', { kind: 'month', start: '2028-02-01', end: '2028-02-29' }],
    ['year', '2026', { kind: 'year', start: '2026-01-01', end: '2026-12-31' }],
    [undefined, '2026-Q4', { kind: 'quarter', start: '2026-10-01', end: '2026-12-31' }],
    [undefined, '2026-12', { kind: 'month', start: '2026-12-01', end: '2026-12-31' }],
  ] as const)('report.period %s accepts %s', (required, text, expected) => {
    expect(resolveReportingPeriod(text, required)).toEqual({ text, ...expected });
  });

  it.each([
    ['a quarterly grant refuses a month (July, August and the quarter would subtract)', 'quarter', '2026-07', /^--period must be one quarter \(report\.period of this grant\), such as 2026-Q3; a month was given$/],
    ['a quarterly grant refuses a year', 'quarter', '2026', /^--period must be one quarter .*; a year was given$/],
    ['a monthly grant refuses a quarter', 'month', '2026-Q3', /^--period must be one month .*such as 2026-07; a quarter was given$/],
    ['a yearly grant refuses a month', 'year', '2026-07', /^--period must be one year .*such as 2026; a month was given$/],
    ['a grant with a period needs --period (a report over all the data would overlap every period)', 'quarter', undefined, /^--period is required: this grant reports by quarter \(report\.period\), such as 2026-Q3$/],
    ['a range is no period', 'quarter', '2026-07..2026-09', /^--period must be a year \(2026\), a quarter \(2026-Q3\) or a month \(2026-07\)$/],
    ['a month 13 is no period', undefined, '2026-13', /^--period must be a year/],
    ['a quarter 5 is no period', undefined, '2026-Q5', /^--period must be a year/],
  ] as const)('%s', (_why, required, text, message) => {
    expect(() => resolveReportingPeriod(text, required)).toThrow(message);
  });

  it('without report.period and without --period there is no period (all the data)', () => {
    expect(resolveReportingPeriod(undefined, undefined)).toBeUndefined();
  });

  it('produceGrantReport applies it: a quarterly grant refuses a month before reading anything', async () => {
    const contract = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants], minCellSize: 5, period: quarter }');
    await expect(produceGrantReport(csvStream('patronId,branch,date\np1,main,2026-07-01'), contract, { period: '2026-07', pseudonyms: createTestKeys(), now: new Date('2026-12-31T12:00:00Z') })).rejects.toThrow(/^--period must be one quarter/);
    const report = await produceGrantReport(csvStream('patronId,branch,date\np1,main,2026-07-01\np2,main,2026-10-01'), contract, { period: '2026-Q3', pseudonyms: createTestKeys(), now: new Date('2026-12-31T12:00:00Z') });
    expect(report.summary).toMatchObject({ rowsUsed: 1, outsidePeriod: 1 });
  });

  it('report.period is validated with the dotted path and a fix', () => {
    expect(() => grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants], period: week }')).toThrow(/report\.period/);
  });
});
