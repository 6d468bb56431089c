import { describe, expect, it } from 'vitest';
import { produceGrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { createEmptyLedger, parseLedger, recordRelease, renderLedger, selectLinked, selectOverlapping, type ReleaseLedger } from '../../../../src/channels/reports/release-ledger.ts';
import { resolveReportingPeriod } from '../../../../src/channels/reports/reporting-period.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';

const NOW = new Date('2026-12-31T12:00:00Z');
const CONTRACT = grantContract('{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants, attendances], minCellSize: 5 }');
/** Canary ids: a ledger must hold none of them. */
const INPUT = ['patronId,branch,date', ...Array.from({ length: 14 }, (_, i) => `CANARY${i},main,2026-0${7 + (i % 3)}-1${i % 10}`), 'CANARYSMALL,east,2026-07-02'].join('\n');

async function ledgerWith(...periods: string[]): Promise<ReleaseLedger> {
  let ledger = createEmptyLedger('test-grant');
  for (const text of periods) {
    const period = resolveReportingPeriod(text, undefined);
    if (!period) throw new Error('no period');
    const report = await produceGrantReport(csvStream(INPUT), CONTRACT, { period: text, pseudonyms: createTestKeys(), now: NOW });
    ledger = recordRelease(ledger, report, period);
  }
  return ledger;
}

describe('the release ledger', () => {
  it.each([
    ['a quarter overlaps each of its months', ['2026-07', '2026-08', '2026-09', '2026-10'], '2026-Q3', ['2026-07', '2026-08', '2026-09']],
    ['a month overlaps its quarter and its year', ['2026-Q3', '2026', '2026-Q4', '2025'], '2026-08', ['2026-Q3', '2026']],
    ['a period re-issued overlaps itself', ['2026-Q3'], '2026-Q3', ['2026-Q3']],
    ['adjacent periods do not overlap (the last day of one is not in the next)', ['2026-Q2', '2026-Q4'], '2026-Q3', []],
    ['a year overlaps every month and quarter in it, and nothing of the next', ['2026-01', '2026-Q4', '2026-12', '2027-01'], '2026', ['2026-01', '2026-Q4', '2026-12']],
  ])('%s', async (_why, published, asked, expected) => {
    const ledger = await ledgerWith(...published);
    const period = resolveReportingPeriod(asked, undefined);
    expect(selectOverlapping(ledger, period ?? { start: '', end: '' }).map((t) => t.period)).toEqual(expected);
  });

  it('records only the published figures (suppressed ones null), never an id, and reads back as it was written', async () => {
    const ledger = await ledgerWith('2026-Q3');
    const text = renderLedger(ledger);
    expect(text).not.toMatch(/CANARY/);
    const table = ledger.releases[0];
    expect(table).toMatchObject({ period: '2026-Q3', start: '2026-07-01', end: '2026-09-30', publishedAt: NOW.toISOString(), minCellSize: 5, dimensions: ['branch'] });
    expect(table?.rows.find((r) => r.values[0] === 'east')?.counts).toEqual({ participants: null, attendances: null });
    expect(parseLedger(text, 'test-grant')).toEqual(ledger);
  });

  it.each([
    ['not JSON', '{ releases', /^the release ledger is not JSON/],
    ['another format', JSON.stringify({ format: 'other/1', grant: 'test-grant', releases: [] }), /is not a grant-release-ledger\/1 file \(at format:/],
    ['a negative figure', JSON.stringify({ format: 'grant-release-ledger/1', grant: 'test-grant', releases: [{ period: '2026-Q3', start: '2026-07-01', end: '2026-09-30', publishedAt: NOW.toISOString(), minCellSize: 5, dimensions: ['branch'], measures: ['participants'], rows: [{ values: ['main'], counts: { participants: -1 } }] }] }), /\(at releases\[0\]\.rows\[0\]\.counts\.participants:/],
    ['a person\'s id smuggled in an extra key', JSON.stringify({ format: 'grant-release-ledger/1', grant: 'test-grant', releases: [], patrons: ['CANARY1'] }), /is not a grant-release-ledger\/1 file/],
    ['another grant\'s ledger', JSON.stringify({ format: 'grant-release-ledger/1', grant: 'other-grant', releases: [] }), /^the release ledger belongs to grant "other-grant", not "test-grant"/],
  ])('refuses %s with a clear message that repeats no figure or value', (_why, text, message) => {
    let thrown: Error | undefined;
    try {
      parseLedger(text, 'test-grant');
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toMatch(message);
    expect(thrown?.message).not.toMatch(/CANARY|-1/);
  });

  it('a table sharing only the first or the last day overlaps (the bounds are inclusive)', () => {
    const table = (start: string, end: string) => ({ period: 'x', start, end, publishedAt: NOW.toISOString(), minCellSize: 5, dimensions: ['branch'], measures: ['participants' as const], rows: [] });
    const ledger: ReleaseLedger = { ...createEmptyLedger('test-grant'), releases: [table('2026-09-30', '2026-10-31'), table('2026-06-01', '2026-07-01'), table('2026-10-01', '2026-10-31'), table('2026-06-01', '2026-06-30')] };
    expect(selectOverlapping(ledger, { start: '2026-07-01', end: '2026-09-30' }).map((t) => t.start)).toEqual(['2026-09-30', '2026-06-01']);
  });

  it.each([
    ['a month after its quarter and another month of it is linked with both (the quarter minus August and July is September)', ['2026-Q3', '2026-08', '2026-10'], '2026-07', ['2026-Q3', '2026-08']],
    ['a month links through its year to every table inside the year, and not to the next year', ['2026', '2026-Q1', '2026-11', '2027-01'], '2026-08', ['2026', '2026-Q1', '2026-11']],
    ['without a longer table, only the overlapping ones', ['2026-07', '2026-08'], '2026-07', ['2026-07']],
  ])('selectLinked: %s', async (_why, published, asked, expected) => {
    const ledger = await ledgerWith(...published);
    const period = resolveReportingPeriod(asked, undefined);
    expect(selectLinked(ledger, period ?? { start: '', end: '' }).map((t) => t.period)).toEqual(expected);
  });

  it('a ledger that is not an object is refused at the top', () => {
    expect(() => parseLedger('42', 'test-grant')).toThrow(/^the release ledger is not a grant-release-ledger\/1 file \(at the top: [^)]+\); restore it from a backup$/);
  });

  it('produceGrantReport states how many published tables it was given as overlapping', async () => {
    const ledger = await ledgerWith('2026-07', '2026-08');
    const prior = selectOverlapping(ledger, resolveReportingPeriod('2026-Q3', undefined) ?? { start: '', end: '' });
    const report = await produceGrantReport(csvStream(INPUT), CONTRACT, { period: '2026-Q3', pseudonyms: createTestKeys(), now: NOW, priorTables: prior });
    expect(report.summary.linkedTables).toBe(2);
  });

  describe('a re-issue', () => {
    it('a re-issued report given its own ledger table is produced as before, with the table counted', async () => {
      const ledger = await ledgerWith('2026-Q3');
      const before = await produceGrantReport(csvStream(INPUT), CONTRACT, { period: '2026-Q3', pseudonyms: createTestKeys(), now: NOW });
      const again = await produceGrantReport(csvStream(INPUT), CONTRACT, { period: '2026-Q3', pseudonyms: createTestKeys(), now: NOW, priorTables: ledger.releases });
      expect(again.rows).toEqual(before.rows);
      expect(again.summary.linkedTables).toBe(1);
    });
  });
});
