import type { Highs } from 'highs';

/** A published figure: the sum of some finest units, as published (`null` = suppressed). */
export interface AuditFigure {
  readonly units: ReadonlyArray<number>;
  readonly value: number | null;
}

/** A quantity that must keep its protection: the sum of some finest units, with a label for messages. */
export interface AuditQuantity {
  readonly units: ReadonlyArray<number>;
  readonly label: string;
}

export interface AuditFailure {
  readonly label: string;
  readonly truth: number;
  readonly min: number;
  readonly max: number;
}

/**
 * An independent auditor (not the product's model): the attacker's mixed-integer program written
 * from scratch in CPLEX LP text and solved by HiGHS's one-shot MILP solver. The unknowns are the
 * finest units (a period piece x a detailed cell, one attendance per person, so both measures
 * are the same count); every figure published anywhere (this report and every earlier one) is an
 * equation over them; counts are non-negative integers. For each quantity, minimize and maximize
 * it: it is protected when its integer interval reaches `lower` below its true value (clipped
 * at 0) and `upper` above. Returns the quantities that are not protected.
 */
export function auditPublishedMilp(solver: Highs, truths: ReadonlyArray<number>, figures: ReadonlyArray<AuditFigure>, quantities: ReadonlyArray<AuditQuantity>, levels = { lower: 1, upper: 1 }): AuditFailure[] {
  const bound = 2 * truths.reduce((s, t) => s + t, 0) + 10;
  const name = (u: number): string => `x${u}`;
  const constraints: string[] = [];
  figures.forEach((figure, i) => {
    if (figure.value === null) return;
    const units = [...new Set(figure.units)];
    if (units.length === 0) {
      if (figure.value !== 0) throw new Error(`figure ${i} publishes ${figure.value} over no unit`);
      return;
    }
    constraints.push(` c${i}: ${units.map(name).join(' + ')} = ${figure.value}`);
  });
  const columns = truths.map((_, u) => name(u));
  const failures: AuditFailure[] = [];
  for (const quantity of quantities) {
    const truth = quantity.units.reduce((s, u) => s + (truths[u] ?? 0), 0);
    const optimize = (sense: 'Minimize' | 'Maximize'): number => {
      const text = [sense, ` obj: ${[...new Set(quantity.units)].map(name).join(' + ')}`, 'Subject To', ...(constraints.length > 0 ? constraints : [` c_none: ${columns[0]} >= 0`]), 'Bounds', ...columns.map((c) => ` 0 <= ${c} <= ${bound}`), 'General', ` ${columns.join(' ')}`, 'End'].join('\n');
      const solution = solver.solve(text, { presolve: 'on' });
      if (solution.Status !== 'Optimal') throw new Error(`the auditor's MILP ended ${solution.Status} (the published figures should be consistent with the truth)`);
      return Math.round(solution.ObjectiveValue);
    };
    const min = optimize('Minimize');
    const max = optimize('Maximize');
    if (min > Math.max(0, truth - levels.lower) || max < truth + levels.upper) failures.push({ label: quantity.label, truth, min, max });
  }
  return failures;
}
