import type { Highs } from 'highs';
import type { AttackerModel } from './attacker-model.ts';
import { columnOf } from './attacker-model.ts';
import type { FormAudit, ProtectionAudit, ProtectionLevels, SensitiveForm } from './protection-types.ts';
import { createLinearModel, runModel } from './solve-model.ts';
import { moveOf, type Witness } from './choose-complements.ts';

/** Slack for the solver's floating point before rounding a bound to the integer it proves. */
const TOLERANCE = 1e-6;

/**
 * The attacker's audit: for every sensitive form, minimize and maximize it over every table
 * consistent with what is published (published figures fixed, suppressed and unpublished ones
 * free and non-negative, every relation of the attacker model). Figures are integers, so the
 * proven interval is [ceil(min), floor(max)]. A form is protected when that interval reaches
 * value - lower (clipped at 0) and value + upper.
 *
 * `witnesses` (alternative tables found while choosing complements) settle a side without a
 * solve when one already moves the form far enough: the interval then reaches at least that
 * far, which is what the guarantee needs (min and max are then what the witness shows, not
 * necessarily the attacker's tightest bound on that side).
 */
export function auditIntervals(solver: Highs, attacker: AttackerModel, forms: ReadonlyArray<SensitiveForm>, suppressed: ReadonlySet<number>, levels: ProtectionLevels, witnesses: ReadonlyArray<Witness> = []): ProtectionAudit {
  const lower = new Float64Array(attacker.columnCount);
  const upper = new Float64Array(attacker.columnCount).fill(Infinity);
  for (let c = 0; c < attacker.columnCount; c++) {
    if (attacker.publishedColumn[c] && !suppressed.has(c >> 1)) {
      lower[c] = attacker.values[c] ?? 0;
      upper[c] = attacker.values[c] ?? 0;
    }
  }
  const results: FormAudit[] = [];
  const model = createLinearModel(solver, attacker.rows, lower, upper);
  try {
    for (const form of forms) {
      const columns = form.terms.map((t) => columnOf(t.cell, t.measure));
      const optimize = (sense: 1 | -1): number => {
        columns.forEach((c, j) => model.changeColCost(c, sense * (form.terms[j]?.coefficient ?? 0)));
        const outcome = runModel(model);
        if (outcome.status === 'unbounded') return sense === 1 ? -Infinity : Infinity;
        if (outcome.status === 'infeasible') throw new Error('the published figures are inconsistent with the table (attacker model infeasible)');
        return sense * outcome.value;
      };
      const needDown = Math.max(0, form.value - levels.lower);
      const down = moveOf(form, witnesses, -1);
      const up = moveOf(form, witnesses, 1);
      const min = form.value - down <= needDown + TOLERANCE ? Math.ceil(form.value - down - TOLERANCE) : Math.ceil(optimize(1) - TOLERANCE);
      const max = up >= levels.upper - TOLERANCE ? Math.floor(form.value + up + TOLERANCE) : Math.floor(optimize(-1) + TOLERANCE);
      for (const c of columns) model.changeColCost(c, 0);
      const ok = min <= Math.max(0, form.value - levels.lower) && max >= form.value + levels.upper;
      results.push({ form, min, max, protected: ok });
    }
  } finally {
    model.dispose();
  }
  return { passed: results.every((r) => r.protected), forms: results };
}
