import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAttackerModel, columnOf } from '../../../../../src/channels/reports/protection/attacker-model.ts';
import { loadSolver } from '../../../../../src/channels/reports/protection/load-solver.ts';
import { createNearestTable } from '../../../../../src/channels/reports/protection/nearest-table.ts';
import { buildTestTable, type Visit } from '../../../../helpers/report-tables.ts';

// The audit's search for an integer table that moves a form just far enough: the nearest one
// (fewest units moved). Checked on a 2 x 2 table whose four detailed cells are suppressed and
// whose margins are published: the only tables the attacker cannot tell apart move the four
// cells round the rectangle (+t, -t, -t, +t), so the nearest table moving the first cell by d
// moves each of the four by exactly d, and no table moves it below 0 or above 2 + min(8, 9).
let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

/** One visit per person; counts of the 2 x 2 detailed cells in row order. */
function rectangle(counts: ReadonlyArray<number>) {
  const visits: Visit[] = [];
  let person = 0;
  counts.forEach((count, flat) => {
    for (let i = 0; i < count; i++) visits.push({ person: person++, at: [flat >> 1, flat & 1], times: 1 });
  });
  const table = buildTestTable([2, 2], visits);
  const attacker = buildAttackerModel(table, { measures: ['attendances'] });
  const detailed = table.cells.flatMap((cell, i) => (cell.level === 0 ? [i] : []));
  const lower = new Float64Array(attacker.columnCount);
  const upper = new Float64Array(attacker.columnCount).fill(Infinity);
  // Margins published (fixed at their values); the detailed cells' attendances free.
  table.cells.forEach((cell, i) => {
    if (cell.level > 0) {
      const c = columnOf(i, 'attendances');
      lower[c] = attacker.values[c] ?? 0;
      upper[c] = attacker.values[c] ?? 0;
    }
  });
  return { table, attacker, detailed, lower, upper };
}

describe('createNearestTable', () => {
  it.each([
    ['up by 1: each corner of the rectangle moves by one', 1, 3, 1],
    ['up to the largest the margins allow (2 + min(8, 9) = 10)', 1, 10, 8],
    ['down to 0: each corner moves by two', -1, 0, 2],
  ] as const)('%s', (_why, direction, bound, each) => {
    const { attacker, detailed, lower, upper } = rectangle([2, 8, 9, 7]);
    const nearest = createNearestTable(solver, attacker.rows, lower, upper, attacker.values);
    try {
      const first = columnOf(detailed[0] ?? 0, 'attendances');
      const witness = nearest.find([{ column: first, coefficient: 1 }], direction, bound);
      expect(witness).toBeDefined();
      const moves = detailed.map((cell) => witness?.get(columnOf(cell, 'attendances')) ?? 0);
      // The rectangle: the first and last corner one way, the other two the other way, by whole units.
      expect(moves.map((m) => Math.abs(m))).toEqual([each, each, each, each]);
      expect(moves[0]).toBe(direction * each);
      expect((moves[0] ?? 0) + (moves[1] ?? 0)).toBe(0);
      expect((moves[0] ?? 0) + (moves[2] ?? 0)).toBe(0);
      // Nothing published moves.
      for (const [c] of witness ?? []) expect(lower[c]).not.toBe(upper[c]);
    } finally {
      nearest.dispose();
    }
  });

  it.each([
    ['above what the margins allow (11 > 10)', 1, 11],
    ['below 0', -1, -1],
  ] as const)('no table reaches a bound %s: undefined, so the audit proves the bound short', (_why, direction, bound) => {
    const { attacker, detailed, lower, upper } = rectangle([2, 8, 9, 7]);
    const nearest = createNearestTable(solver, attacker.rows, lower, upper, attacker.values);
    try {
      expect(nearest.find([{ column: columnOf(detailed[0] ?? 0, 'attendances'), coefficient: 1 }], direction, bound)).toBeUndefined();
    } finally {
      nearest.dispose();
    }
  });

  it('one model for many forms: the form row of the last call leaves no trace on the next', () => {
    const { attacker, detailed, lower, upper } = rectangle([2, 8, 9, 7]);
    const nearest = createNearestTable(solver, attacker.rows, lower, upper, attacker.values);
    try {
      const [a, b] = [detailed[0] ?? 0, detailed[3] ?? 0].map((cell) => columnOf(cell, 'attendances'));
      expect(nearest.find([{ column: a ?? 0, coefficient: 1 }], 1, 10)?.get(a ?? 0)).toBe(8);
      // The last corner (7) up by one: one unit round the rectangle, not eight.
      expect(nearest.find([{ column: b ?? 0, coefficient: 1 }], 1, 8)?.get(b ?? 0)).toBe(1);
      expect(nearest.find([{ column: b ?? 0, coefficient: 1 }], 1, 8)?.get(a ?? 0)).toBe(1);
    } finally {
      nearest.dispose();
    }
  });
});
