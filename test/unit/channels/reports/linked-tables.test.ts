import { describe, expect, it } from 'vitest';
import type { CompiledReport } from '../../../../src/contracts/compiled-contract.ts';
import { buildLinkedTable } from '../../../../src/channels/reports/linked-tables.ts';
import { ParticipationTally } from '../../../../src/channels/reports/participation-tally.ts';
import { splitIntoPieces } from '../../../../src/channels/reports/period-pieces.ts';
import type { PublishedTable } from '../../../../src/channels/reports/release-ledger.ts';

const REPORT: CompiledReport = { dimensions: [{ name: 'branch', from: 'branch', generalize: 'none' }], measures: ['participants', 'attendances'], minCellSize: 5, totals: true };
const Q3 = { start: '2026-07-01', end: '2026-09-30' };
const JULY = { start: '2026-07-01', end: '2026-07-31' };
const published = (span: { start: string; end: string }, period: string, rows: PublishedTable['rows'], dimensions = ['branch']): PublishedTable => ({ period, ...span, publishedAt: '2026-10-01T00:00:00.000Z', minCellSize: 5, dimensions, measures: ['participants', 'attendances'], rows });

/** east: person 1 in July and September, person 2 in September; main: persons 3..9 in July. */
function tally(split: boolean): ParticipationTally {
  const t = new ParticipationTally(split ? 2 : 1);
  const add = (branch: string, piece: string, person: number): void => t.add(split ? [branch, piece] : [branch], person);
  add('east', '2026-07-01..2026-07-31', 1);
  add('east', '2026-08-01..2026-09-30', 1);
  add('east', '2026-08-01..2026-09-30', 2);
  for (let p = 3; p <= 9; p++) add('main', '2026-07-01..2026-07-31', p);
  return t;
}

describe('the joint model of a report and the published tables inside its period', () => {
  it('pieces are hidden unknowns, the report\'s cells their sums; a published figure equal to today\'s count is known, a suppressed one audited', () => {
    const july = published(JULY, '2026-07', [
      { values: ['east'], counts: { participants: null, attendances: null } },
      { values: ['main'], counts: { participants: 7, attendances: 7 } },
      { values: [null], counts: { participants: 8, attendances: 8 } },
    ]);
    const pieces = splitIntoPieces(Q3, [july]);
    const linked = buildLinkedTable(tally(true), REPORT, Q3, pieces, [july]);
    const cells = linked.table.cells;
    const find = (values: Array<string | null>) => cells.findIndex((c) => JSON.stringify(c.values) === JSON.stringify(values));
    const julyEast = find(['east', '2026-07-01..2026-07-31']);
    const quarterEast = find(['east', null]);
    expect(cells[julyEast]).toMatchObject({ hidden: true, attendances: 1, participants: 1 });
    expect(cells[quarterEast]).toMatchObject({ attendances: 3, participants: 2 });
    expect(cells[quarterEast]?.hidden).toBeUndefined();
    expect([...linked.published.values()].sort()).toEqual(['["east"]', '["main"]', '[null]']);
    // July's main and total are known values of the July pieces; east (suppressed) is not.
    const figures = linked.priorTables.flatMap((t) => t.figures);
    expect(figures).toContainEqual({ cells: [find(['main', '2026-07-01..2026-07-31'])], measure: 'attendances', value: 7 });
    expect(figures).toContainEqual({ cells: [find([null, '2026-07-01..2026-07-31'])], measure: 'participants', value: 8 });
    expect(figures.some((f) => f.cells.includes(julyEast))).toBe(false);
    expect(cells[julyEast]?.audited).not.toBe(false);
  });

  it('a figure that differs from today\'s count (noise, or data corrected since) is no relation', () => {
    const july = published(JULY, '2026-07', [{ values: ['main'], counts: { participants: 6, attendances: 9 } }]);
    const linked = buildLinkedTable(tally(true), REPORT, Q3, splitIntoPieces(Q3, [july]), [july]);
    expect(linked.priorTables).toEqual([]);
  });

  it('a coarser published figure over several cells becomes a hidden sum with its own distinct count of people', () => {
    const byProgram: CompiledReport = { ...REPORT, dimensions: [REPORT.dimensions[0] as CompiledReport['dimensions'][number], { name: 'program', from: 'program', generalize: 'none' }], totals: false };
    const t = new ParticipationTally(3);
    const piece = '2026-07-01..2026-07-31';
    t.add(['east', 'art', piece], 1);
    t.add(['east', 'code', piece], 1);
    t.add(['east', 'code', piece], 2);
    t.add(['east', 'art', '2026-08-01..2026-09-30'], 3);
    const july = published(JULY, '2026-07', [{ values: ['east'], counts: { participants: 2, attendances: 3 } }]);
    const linked = buildLinkedTable(t, byProgram, Q3, splitIntoPieces(Q3, [july]), [july]);
    const sum = linked.table.cells.find((c) => c.parts !== undefined);
    expect(sum).toMatchObject({ hidden: true, attendances: 3, participants: 2, audited: false });
    expect(sum?.parts).toHaveLength(2);
    expect(linked.priorTables[0]?.figures).toHaveLength(2);
  });

  it.each([
    ['a table with a dimension this report lacks', published(JULY, '2026-07', [], ['branch', 'program']), /with the dimension "program", which this report does not have/],
  ])('refuses %s', (_why, table, message) => {
    expect(() => buildLinkedTable(tally(false), REPORT, Q3, [Q3], [table])).toThrow(message);
  });

  it('a table reaching beyond this period: the pieces outside are hidden unknowns, and its figures must be today\'s counts', () => {
    const YEAR = { start: '2026-01-01', end: '2026-12-31' };
    const pieces = splitIntoPieces(YEAR, [YEAR, Q3]);
    const t = new ParticipationTally(3);
    t.add(['east', 'outside', '2026-01-01..2026-06-30'], 1);
    for (let p = 2; p <= 7; p++) t.add(['east', 'inside', '2026-07-01..2026-09-30'], p);
    const year = (east: number) => published(YEAR, '2026', [{ values: ['east'], counts: { participants: east, attendances: east } }]);
    const linked = buildLinkedTable(t, REPORT, Q3, pieces, [year(7)], true);
    const shown = linked.table.cells.filter((c) => !c.hidden);
    expect(shown.map((c) => [c.values, c.attendances])).toEqual([[['east', 'inside', null], 6], [[null, 'inside', null], 6]]);
    expect(linked.priorTables[0]?.figures.map((f) => f.value)).toEqual([7, 7]);
    expect(() => buildLinkedTable(t, REPORT, Q3, pieces, [year(9)], true)).toThrow(/holds a table of 2026, which reaches beyond this period, and the input does not hold its data as published/);
  });

  it('a value seen only outside this period (a branch that opened later) is no row of the report: its absence is a known zero, never protection', () => {
    const YEAR = { start: '2026-01-01', end: '2026-12-31' };
    const pieces = splitIntoPieces(YEAR, [YEAR, Q3]);
    const t = new ParticipationTally(3);
    for (let p = 1; p <= 6; p++) t.add(['east', 'inside', '2026-07-01..2026-09-30'], p);
    for (let p = 10; p <= 12; p++) t.add(['west', 'outside', '2026-10-01..2026-12-31'], p);
    const year = published(YEAR, '2026', [{ values: ['east'], counts: { participants: 6, attendances: 6 } }, { values: ['west'], counts: { participants: null, attendances: null } }]);
    const linked = buildLinkedTable(t, REPORT, Q3, pieces, [year], true);
    const west = linked.table.cells.findIndex((c) => JSON.stringify(c.values) === JSON.stringify(['west', 'inside', null]));
    expect(linked.table.cells[west]).toMatchObject({ attendances: 0, audited: false });
    expect(linked.priorTables[0]?.figures).toContainEqual({ cells: [west], measure: 'attendances', value: 0 });
  });
});
