import type { Highs } from 'highs';
import type { ModelRow } from './attacker-model.ts';

/** A persistent HiGHS model (warm-started between objectives) and how to dispose of it. */
export type SolverModel = ReturnType<Highs['createModel']>;

/** Builds a persistent LP from rows and column bounds (row-wise sparse matrix), quiet. */
export function createLinearModel(solver: Highs, rows: ReadonlyArray<ModelRow>, colLower: Float64Array, colUpper: Float64Array, colCost?: Float64Array): SolverModel {
  const numCols = colLower.length;
  const starts = new Int32Array(rows.length + 1);
  let nonzeros = 0;
  rows.forEach((row, r) => {
    starts[r] = nonzeros;
    nonzeros += row.columns.length;
  });
  starts[rows.length] = nonzeros;
  const indices = new Int32Array(nonzeros);
  const values = new Float64Array(nonzeros);
  let at = 0;
  for (const row of rows) {
    row.columns.forEach((c, j) => {
      indices[at] = c;
      values[at] = row.coefficients[j] ?? 0;
      at += 1;
    });
  }
  const inf = solver.infinity;
  const clip = (x: number): number => (x === Infinity ? inf : x === -Infinity ? -inf : x);
  const model = solver.createModel({
    numCols,
    numRows: rows.length,
    colCost: colCost ?? new Float64Array(numCols),
    colLower: colLower.map(clip),
    colUpper: colUpper.map(clip),
    rowLower: rows.map((r) => clip(r.lower)),
    rowUpper: rows.map((r) => clip(r.upper)),
    matrix: { format: 'csr', numRows: rows.length, numCols, starts, indices, values },
  });
  model.options.set({ output_flag: false, log_to_console: false, presolve: 'on' });
  return model;
}

export type Outcome = { readonly status: 'optimal'; readonly value: number } | { readonly status: 'unbounded' } | { readonly status: 'infeasible' };

/** Runs the model and reads the outcome (HiGHS model status 7 optimal, 8 infeasible, 9/10 unbounded). */
export function runModel(model: SolverModel): Outcome {
  model.run();
  const status = model.getModelStatus();
  if (status === 7) return { status: 'optimal', value: model.getObjectiveValue() };
  if (status === 10 || status === 9) return { status: 'unbounded' };
  if (status === 8) return { status: 'infeasible' };
  throw new Error(`the solver stopped with model status ${status}`);
}
