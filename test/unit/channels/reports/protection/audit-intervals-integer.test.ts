import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { auditIntervals, loadSolver, type SensitiveForm } from '../../../../../src/channels/reports/protection/index.ts';
import type { AttackerModel, ModelRow } from '../../../../../src/channels/reports/protection/attacker-model.ts';

let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

/**
 * An attacker model built by hand (four cells; only attendances, at columns 0, 2, 4, 6, are
 * related): x1 + x2 + x3 + s = 2 and x1 + x2 <= 1, x2 + x3 <= 1, x1 + x3 <= 1, true table
 * x1 = 1, x2 = x3 = 0, s = 1. The linear relaxation reaches s = 0 (x1 = x2 = x3 = 2/3); no integer
 * table does (two of the x would have to be 1, and every pair sums to at most 1).
 */
function oddCycle(): AttackerModel {
  const values = Float64Array.from([1, 1, 0, 0, 0, 0, 1, 1]);
  const row = (columns: number[], lower: number, upper: number): ModelRow => ({ columns, coefficients: columns.map(() => 1), lower, upper });
  return {
    columnCount: 8,
    values,
    rows: [row([0, 2, 4, 6], 2, 2), row([0, 2], -Infinity, 1), row([2, 4], -Infinity, 1), row([0, 4], -Infinity, 1)],
    publishedColumn: new Uint8Array(8).fill(1),
    children: [[], [], [], []],
    cellCount: 4,
    levels: [0, 0, 0, 0],
  };
}

/** Every integer table of the model with figures 0..2: the exact interval of s. */
function enumerateS(model: AttackerModel): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let x1 = 0; x1 <= 2; x1++)
    for (let x2 = 0; x2 <= 2; x2++)
      for (let x3 = 0; x3 <= 2; x3++)
        for (let s = 0; s <= 2; s++) {
          const at = [x1, 0, x2, 0, x3, 0, s, 0];
          const ok = model.rows.every((r) => {
            const sum = r.columns.reduce((acc, c, j) => acc + (r.coefficients[j] ?? 0) * (at[c] ?? 0), 0);
            return sum >= r.lower && sum <= r.upper;
          });
          if (!ok) continue;
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
  return { min, max };
}

describe('auditIntervals: integer attackers', () => {
  it('a side the linear relaxation reaches only fractionally is not protection: the integer program decides (and agrees with enumeration)', () => {
    const model = oddCycle();
    const form: SensitiveForm = { kind: 'small-cell', terms: [{ cell: 3, measure: 'attendances', coefficient: 1 }], value: 1 };
    const exact = enumerateS(model);
    expect(exact).toEqual({ min: 1, max: 2 });
    const audit = auditIntervals(solver, model, [form], new Set([0, 1, 2, 3]), { lower: 1, upper: 1 });
    // The linear relaxation alone would give [0, 2]; integers prove s >= 1: s = 1 is pinned from below.
    expect(audit.forms[0]?.min).toBe(exact.min);
    expect(audit.forms[0]?.protected).toBe(false);
    expect(audit.passed).toBe(false);
  });

  it('a fractional witness from the choice of complements does not settle a side the integers cannot reach', () => {
    const model = oddCycle();
    const form: SensitiveForm = { kind: 'small-cell', terms: [{ cell: 3, measure: 'attendances', coefficient: 1 }], value: 1 };
    const fractional = new Map([[0, -1 / 3], [2, 2 / 3], [4, 2 / 3], [6, -1]]);
    const audit = auditIntervals(solver, model, [form], new Set([0, 1, 2, 3]), { lower: 1, upper: 1 }, [fractional]);
    expect(audit.forms[0]?.protected).toBe(false);
  });

  it('an upper side the integers reach is protected (the check is not merely stricter)', () => {
    const model = oddCycle();
    // x1 (true 1) can move to 0 (x2 = 1) and, with s = 0 impossible, never to 2: the upper side fails, the lower holds.
    const form: SensitiveForm = { kind: 'small-cell', terms: [{ cell: 0, measure: 'attendances', coefficient: 1 }], value: 1 };
    const audit = auditIntervals(solver, model, [form], new Set([0, 1, 2, 3]), { lower: 1, upper: 1 });
    expect(audit.forms[0]?.min).toBe(0);
    expect(audit.forms[0]?.protected).toBe(false);
    const s: SensitiveForm = { kind: 'small-cell', terms: [{ cell: 3, measure: 'attendances', coefficient: 1 }], value: 1 };
    expect(auditIntervals(solver, model, [s], new Set([0, 1, 2, 3]), { lower: 0, upper: 1 }).forms[0]?.protected).toBe(true);
  });
});
