import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildAttackerModel, columnOf, findChildren } from '../../../../../src/channels/reports/protection/attacker-model.ts';
import type { ProtectionCell } from '../../../../../src/channels/reports/protection/protection-types.ts';
import { buildTestTable, randomVisits, seededRandom } from '../../../../helpers/report-tables.ts';

const BOTH = { measures: ['participants', 'attendances'] as const };

describe('buildAttackerModel', () => {
  test.prop([fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 }), fc.integer())], { numRuns: 60 })(
    'the true table satisfies every relation the attacker is given (else the audit would prove false intervals)',
    ([a, b, c, people, seed]) => {
      const sizes = [a, b, c];
      const table = buildTestTable(sizes, randomVisits(sizes, people, seededRandom(seed)));
      const model = buildAttackerModel(table, BOTH);
      for (const row of model.rows) {
        let at = 0;
        row.columns.forEach((col, j) => (at += (row.coefficients[j] ?? 0) * (model.values[col] ?? 0)));
        expect(at).toBeGreaterThanOrEqual(row.lower);
        expect(at).toBeLessThanOrEqual(row.upper);
      }
    },
  );

  it('noisy figures (noisy: true) satisfy every relation given; the relations between true counts would not hold for them', () => {
    // Detailed cells as noise leaves them (participants, attendances): more participants than
    // attendances, none beside 9 attendances; margins are sums of their cells, participants too.
    const cells: ProtectionCell[] = [[6, 2], [0, 9], [8, 8], [9, 7]].map(([participants = 0, attendances = 0], i) => ({ values: [`r${i >> 1}`, `c${i & 1}`], participants, attendances, level: 0 }));
    const sums: Array<readonly [number, number[]]> = [];
    for (const [values, parts] of [[[null, 'c0'], [0, 2]], [[null, 'c1'], [1, 3]], [['r0', null], [0, 1]], [['r1', null], [2, 3]], [[null, null], [0, 1, 2, 3]]] as Array<[Array<string | null>, number[]]>) {
      sums.push([cells.length, parts]);
      cells.push({ values, participants: parts.reduce((n, i) => n + (cells[i]?.participants ?? 0), 0), attendances: parts.reduce((n, i) => n + (cells[i]?.attendances ?? 0), 0), level: values.filter((v) => v === null).length });
    }
    const violated = (noisy: boolean): number => {
      const model = buildAttackerModel({ cells, sums }, { ...BOTH, noisy });
      return model.rows.filter((row) => {
        let at = 0;
        row.columns.forEach((col, j) => (at += (row.coefficients[j] ?? 0) * (model.values[col] ?? 0)));
        return at < row.lower || at > row.upper;
      }).length;
    };
    expect(violated(true)).toBe(0);
    expect(violated(false)).toBeGreaterThan(0);
  });

  it('states each relation of a 2 x 1 table with one person in both cells', () => {
    // Person 1 at (0,0) twice and at (1,0) once: attendances 2 + 1 = 3, participants 1 and 1, distinct total 1.
    const table = buildTestTable([2, 1], [{ person: 1, at: [0, 0], times: 2 }, { person: 1, at: [1, 0], times: 1 }]);
    const model = buildAttackerModel(table, BOTH);
    const index = (values: Array<string | null>): number => table.cells.findIndex((cell) => JSON.stringify(cell.values) === JSON.stringify(values));
    const total = index([null, 'v1.0']);
    const parts = [index(['v0.0', 'v1.0']), index(['v0.1', 'v1.0'])];
    const has = (lower: number, upper: number, terms: Array<[number, number]>): boolean =>
      model.rows.some((row) => row.lower === lower && row.upper === upper && row.columns.length === terms.length && terms.every(([c, k]) => row.coefficients[row.columns.indexOf(c)] === k));
    // Attendances add up.
    expect(has(0, 0, [[columnOf(total, 'attendances'), 1], ...parts.map((p): [number, number] => [columnOf(p, 'attendances'), -1])])).toBe(true);
    // Distinct people: at most the sum of the parts, at least each part.
    expect(has(0, Infinity, [...parts.map((p): [number, number] => [columnOf(p, 'participants'), 1]), [columnOf(total, 'participants'), -1]])).toBe(true);
    for (const p of parts) expect(has(0, Infinity, [[columnOf(total, 'participants'), 1], [columnOf(p, 'participants'), -1]])).toBe(true);
    // Participants <= attendances, and attendances imply a participant.
    expect(has(0, Infinity, [[columnOf(total, 'attendances'), 1], [columnOf(total, 'participants'), -1]])).toBe(true);
    expect(has(0, Infinity, [[columnOf(total, 'participants'), 3], [columnOf(total, 'attendances'), -1]])).toBe(true);
    expect(Array.from(model.values)).toEqual(table.cells.flatMap((cell) => [cell.attendances, cell.participants]));
    expect(model.columnCount).toBe(2 * table.cells.length);
    expect(model.cellCount).toBe(table.cells.length);
    expect(model.levels).toEqual(table.cells.map((cell) => cell.level));
    expect(model.values[columnOf(total, 'participants')]).toBe(1);
    expect(model.values[columnOf(total, 'attendances')]).toBe(3);
  });

  it.each([
    ['participants only', ['participants'] as const, [0, 1]],
    ['attendances only', ['attendances'] as const, [1, 0]],
    ['both', ['participants', 'attendances'] as const, [1, 1]],
  ])('knows only the measures the report publishes: %s', (_name, measures, pattern) => {
    const table = buildTestTable([2], [{ person: 1, at: [0], times: 1 }]);
    const model = buildAttackerModel(table, { measures });
    expect(Array.from(model.publishedColumn)).toEqual(table.cells.flatMap(() => pattern));
  });

  it('adds each ledger figure as a known sum', () => {
    const table = buildTestTable([2], [{ person: 1, at: [0], times: 1 }]);
    const model = buildAttackerModel(table, { ...BOTH, priorTables: [{ figures: [{ cells: [0, 1], measure: 'attendances', value: 7 }] }] });
    expect(model.rows.at(-1)).toEqual({ lower: 7, upper: 7, columns: [columnOf(0, 'attendances'), columnOf(1, 'attendances')], coefficients: [1, 1] });
  });
});

describe('findChildren', () => {
  it('lists the cells one dimension below each margin', () => {
    const values = [
      ['a', 'x'],
      ['b', 'x'],
      [null, 'x'],
      ['a', null],
      [null, null],
    ];
    expect(findChildren(values)).toEqual([[], [], [0, 1], [0], [2, 3]]);
  });
});
