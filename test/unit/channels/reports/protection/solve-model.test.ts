import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSolver } from '../../../../../src/channels/reports/protection/index.ts';
import type { ModelRow } from '../../../../../src/channels/reports/protection/attacker-model.ts';
import { createLinearModel, runModel } from '../../../../../src/channels/reports/protection/solve-model.ts';

// The solver wrapper every protection step uses: rows as the attacker model writes them (sparse,
// infinite bounds as Infinity), column bounds and costs, and the outcome read back. Each case is
// a linear program small enough to solve by hand.
let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

const row = (columns: number[], coefficients: number[], lower: number, upper: number): ModelRow => ({ columns, coefficients, lower, upper });

function solve(rows: ModelRow[], lower: number[], upper: number[], cost: number[]): ReturnType<typeof runModel> & { x?: number[] } {
  const model = createLinearModel(solver, rows, Float64Array.from(lower), Float64Array.from(upper), Float64Array.from(cost));
  try {
    const outcome = runModel(model);
    return outcome.status === 'optimal' ? { ...outcome, x: [...model.getSolution().colValue] } : outcome;
  } finally {
    model.dispose();
  }
}

describe('createLinearModel and runModel', () => {
  it('reads each row\'s own columns and coefficients: 2x + 3y = 12 and x - y = 1 have the one solution x = 3, y = 2', () => {
    const outcome = solve([row([0, 1], [2, 3], 12, 12), row([0, 1], [1, -1], 1, 1)], [0, 0], [Infinity, Infinity], [1, 1]);
    expect(outcome.status).toBe('optimal');
    expect(outcome.x?.[0]).toBeCloseTo(3, 6);
    expect(outcome.x?.[1]).toBeCloseTo(2, 6);
    expect(outcome.status === 'optimal' && outcome.value).toBeCloseTo(5, 6);
  });

  it('takes the costs given at creation: minimizing x + 2y over x + y >= 4 puts everything on x', () => {
    const outcome = solve([row([0, 1], [1, 1], 4, Infinity)], [0, 0], [Infinity, Infinity], [1, 2]);
    expect(outcome.status === 'optimal' && outcome.value).toBeCloseTo(4, 6);
    expect(outcome.x?.[1]).toBeCloseTo(0, 6);
  });

  it('a row with no lower bound (-Infinity) only caps: maximizing x under x <= 4 gives 4', () => {
    const outcome = solve([row([0], [1], -Infinity, 4)], [0], [Infinity], [-1]);
    expect(outcome.status === 'optimal' && outcome.value).toBeCloseTo(-4, 6);
  });

  it('column bounds hold: x in [2, 3] minimized is 2, maximized is 3', () => {
    expect(solve([], [2], [3], [1])).toMatchObject({ status: 'optimal', value: 2 });
    expect(solve([], [2], [3], [-1])).toMatchObject({ status: 'optimal', value: -3 });
  });

  it('without costs the objective is 0 (a feasibility question)', () => {
    const model = createLinearModel(solver, [row([0], [1], 1, 1)], Float64Array.from([0]), Float64Array.from([Infinity]));
    try {
      expect(runModel(model)).toEqual({ status: 'optimal', value: 0 });
    } finally {
      model.dispose();
    }
  });

  it('figures that contradict each other are infeasible, not an answer', () => {
    expect(solve([row([0], [1], 3, Infinity)], [0], [1], [1])).toEqual({ status: 'infeasible' });
  });

  it('a figure nothing bounds above is unbounded when maximized (an attacker learns nothing above it)', () => {
    expect(solve([row([0, 1], [1, -1], 0, 0)], [0, 0], [Infinity, Infinity], [-1, 0])).toEqual({ status: 'unbounded' });
  });

  it('a solver that stops for another reason (a time limit of 0) is an error, never read as an answer', () => {
    const rows = Array.from({ length: 30 }, (_, r) => row([r, r + 1], [1, 1], 1, Infinity));
    const model = createLinearModel(solver, rows, new Float64Array(31), new Float64Array(31).fill(Infinity), new Float64Array(31).fill(1));
    try {
      model.options.set({ time_limit: 0 });
      expect(() => runModel(model)).toThrow(/model status/);
    } finally {
      model.dispose();
    }
  });
});
