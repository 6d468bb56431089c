import { describe, expect, it } from 'vitest';
import { ContributionBounds } from '../../../../src/channels/reports/contribution-bounds.ts';
import { planNoise } from '../../../../src/channels/reports/plan-noise.ts';

describe('ContributionBounds (in file order)', () => {
  it.each([
    ['attendances past the total bound are left out, in any cell', { maxAttendances: 3, maxCells: 3 }, ['a', 'a', 'b', 'a', 'c'], [true, true, true, false, false]],
    ['a new cell past the cells bound is left out, but more in a cell already touched count', { maxAttendances: 10, maxCells: 2 }, ['a', 'b', 'c', 'a', 'b', 'c'], [true, true, false, true, true, false]],
    ['exactly at both bounds everything counts', { maxAttendances: 2, maxCells: 2 }, ['a', 'b'], [true, true]],
    ['a bound of one: the first attendance only', { maxAttendances: 1, maxCells: 1 }, ['b', 'b', 'a'], [true, false, false]],
  ])('%s', (_why, bounds, cells, admitted) => {
    const b = new ContributionBounds(bounds);
    expect(cells.map((cell) => b.admit(7, cell))).toEqual(admitted);
    expect(b.dropped).toBe(admitted.filter((a) => !a).length);
  });

  it('bounds each person separately', () => {
    const b = new ContributionBounds({ maxAttendances: 1, maxCells: 1 });
    expect([b.admit(1, 'a'), b.admit(2, 'a'), b.admit(1, 'a'), b.admit(3, 'b')]).toEqual([true, true, false, true]);
  });
});

describe('planNoise', () => {
  it.each([
    [['participants'] as const, 3, 1 / 3],
    [['attendances'] as const, 8, 1 / 8],
    [['participants', 'attendances'] as const, 11, 1 / 11],
  ])('measures %j: sensitivity %s, epsilon per figure %s', (measures, sensitivity, perFigure) => {
    expect(planNoise({ mechanism: 'discrete-laplace', epsilon: 1, maxAttendancesPerPerson: 8, maxCellsPerPerson: 3 }, measures)).toEqual({ epsilon: 1, sensitivity, epsilonPerFigure: perFigure });
  });
});
