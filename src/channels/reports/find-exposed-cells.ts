/**
 * Which suppressed cells can be worked out exactly from what is published. Each published total
 * is an equation (total = sum of the detailed cells under it); moving the published values to the
 * right-hand side leaves a linear system in the suppressed cells. A suppressed cell is exposed when
 * its unit vector lies in the row space of that system: then some combination of published
 * figures equals it. Found by sparse Gaussian elimination to reduced row echelon form: the unit
 * vector e_j is in the row space exactly when j is a pivot column whose row has no other entry.
 *
 * `equations` lists, for each total, the detailed cells it sums; `suppressed` says which cells are
 * unknown. Pure.
 */
export function findExposedCells(equations: ReadonlyMap<number, ReadonlyArray<number>>, suppressed: ReadonlySet<number>): number[] {
  const EPSILON = 1e-9;
  const pivots = new Map<number, Map<number, number>>(); // pivot column -> its row
  for (const [total, parts] of equations) {
    const row = new Map<number, number>();
    if (suppressed.has(total)) row.set(total, -1);
    for (const part of parts) if (suppressed.has(part)) row.set(part, (row.get(part) ?? 0) + 1);
    if (row.size === 0) continue;
    // Reduce by existing pivots until no pivot column remains in the row.
    let changed = true;
    while (changed) {
      changed = false;
      for (const [column, factor] of row) {
        const pivotRow = pivots.get(column);
        if (!pivotRow) continue;
        for (const [c, v] of pivotRow) {
          const next = (row.get(c) ?? 0) - factor * v;
          if (Math.abs(next) < EPSILON) row.delete(c);
          else row.set(c, next);
        }
        changed = true;
        break;
      }
    }
    if (row.size === 0) continue;
    const pivot = Math.min(...row.keys());
    const scale = row.get(pivot) ?? 1;
    for (const [c, v] of row) row.set(c, v / scale);
    // Keep the echelon form reduced: clear the new pivot column from the older rows.
    for (const other of pivots.values()) {
      const factor = other.get(pivot);
      if (factor === undefined) continue;
      for (const [c, v] of row) {
        const next = (other.get(c) ?? 0) - factor * v;
        if (Math.abs(next) < EPSILON) other.delete(c);
        else other.set(c, next);
      }
    }
    pivots.set(pivot, row);
  }
  const exposed: number[] = [];
  for (const [column, row] of pivots) if (row.size === 1) exposed.push(column);
  return exposed.sort((a, b) => a - b);
}
