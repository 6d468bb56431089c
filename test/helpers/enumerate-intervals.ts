/**
 * An independent auditor for small additive tables (a different formulation from the product's
 * LP): exact enumeration of every non-negative integer table that agrees with the published
 * figures, giving each suppressed detailed cell's true feasible interval (integrality included).
 * Suppressed margins are simply not constraints. Exponential: keep tables tiny.
 */
export function enumerateIntervals(
  detailed: ReadonlyArray<{ index: number; value: number }>,
  margins: ReadonlyArray<{ parts: ReadonlyArray<number>; value: number | null }>,
  published: (index: number) => boolean,
  bound: number,
): Map<number, { min: number; max: number }> {
  const unknown = detailed.filter((d) => !published(d.index)).map((d) => d.index);
  const known = new Map(detailed.filter((d) => published(d.index)).map((d) => [d.index, d.value]));
  const constraints = margins.filter((m) => m.value !== null).map((m) => ({ parts: m.parts, value: m.value as number }));
  const result = new Map<number, { min: number; max: number }>();
  const assignment = new Map<number, number>();
  const check = (complete: boolean): boolean => {
    for (const c of constraints) {
      let sum = 0;
      let open = false;
      for (const p of c.parts) {
        const v = known.get(p) ?? assignment.get(p);
        if (v === undefined) open = true;
        else sum += v;
      }
      if (sum > c.value || ((complete || !open) && sum !== c.value)) return false;
    }
    return true;
  };
  const walk = (i: number): void => {
    if (i === unknown.length) {
      if (!check(true)) return;
      for (const [cell, v] of assignment) {
        const r = result.get(cell);
        if (!r) result.set(cell, { min: v, max: v });
        else {
          r.min = Math.min(r.min, v);
          r.max = Math.max(r.max, v);
        }
      }
      return;
    }
    const cell = unknown[i] as number;
    for (let v = 0; v <= bound; v++) {
      assignment.set(cell, v);
      if (check(false)) walk(i + 1);
    }
    assignment.delete(cell);
  };
  walk(0);
  return result;
}
