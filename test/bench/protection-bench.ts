import { auditIntervals, buildAttackerModel, findSensitiveForms, loadSolver, protectTable, type ProtectionTable } from '../../src/channels/reports/protection/index.ts';
import { buildTestTable, randomVisits, seededRandom } from '../helpers/report-tables.ts';

/**
 * Table protection at scale (BENCH_ONLY=protection): time and information loss (cells and people
 * suppressed) of protectTable against a simple greedy-plus-LP baseline (add the cheapest
 * published neighbour of the first exposed figure, re-audit) and, on a table small enough, the
 * exact minimum number of cells (every set of extra cells by increasing size, audited).
 */
const OPTIONS = { minCellSize: 11, measures: ['participants', 'attendances'] as const };

function lossOf(table: ProtectionTable, suppressed: Iterable<number>): { cells: number; people: number } {
  let cells = 0;
  let people = 0;
  for (const i of suppressed) {
    cells += 1;
    people += table.cells[i]?.participants ?? 0;
  }
  return { cells, people };
}

export async function benchProtection(): Promise<void> {
  const solver = await loadSolver();
  const levels = { lower: 1, upper: 1 };
  console.log('\ntable protection (cells suppressed / people in them / seconds)');
  console.log('table                    | protectTable          | greedy + LP           | exact minimum');
  for (const [label, sizes, people, greedyLimit, exact] of [
    ['4x4 (25 cells)', [4, 4], 120, true, true],
    ['9x10 (110 cells)', [9, 10], 900, true, false],
    ['9x9x9 (1,000 cells)', [9, 9, 9], 4000, false, false],
    ['10x10x12 (1,573 cells)', [10, 10, 12], 8000, false, false],
  ] as const) {
    const table = buildTestTable(sizes, randomVisits(sizes, people, seededRandom(11)));
    let started = performance.now();
    const result = await protectTable(table, { ...OPTIONS, solver });
    const ours = { ...lossOf(table, result.suppressed), seconds: (performance.now() - started) / 1000 };
    const model = buildAttackerModel(table, OPTIONS);
    const forms = findSensitiveForms(table, model, OPTIONS);
    const primaries = new Set<number>();
    table.cells.forEach((c, i) => {
      if (OPTIONS.measures.some((m) => c[m] > 0 && c[m] < OPTIONS.minCellSize)) primaries.add(i);
    });
    let greedy = 'skipped (too slow)';
    if (greedyLimit) {
      started = performance.now();
      const suppressed = new Set(primaries);
      for (let round = 0; round < table.cells.length; round++) {
        const failing = auditIntervals(solver, model, forms, suppressed, levels).forms.find((f) => !f.protected);
        if (!failing) break;
        const near = new Set<number>();
        for (const t of failing.form.terms) for (const row of model.rows) if (row.columns.length <= 40 && row.columns.includes(2 * t.cell)) for (const c of row.columns) if (!suppressed.has(c >> 1)) near.add(c >> 1);
        const pick = [...(near.size > 0 ? near : table.cells.keys())].filter((i) => !suppressed.has(i)).sort((a, b) => (table.cells[a]?.level ?? 0) - (table.cells[b]?.level ?? 0) || (table.cells[a]?.participants ?? 0) - (table.cells[b]?.participants ?? 0))[0];
        if (pick === undefined) break;
        suppressed.add(pick);
      }
      const loss = lossOf(table, suppressed);
      greedy = `${loss.cells} / ${loss.people} / ${((performance.now() - started) / 1000).toFixed(2)}`;
    }
    let best = 'not feasible';
    if (exact) {
      const open = table.cells.map((_, i) => i).filter((i) => !primaries.has(i));
      const search = (size: number, from: number, chosen: number[]): number[] | undefined => {
        if (chosen.length === size) return auditIntervals(solver, model, forms, new Set([...primaries, ...chosen]), levels).passed ? chosen : undefined;
        for (let j = from; j < open.length; j++) {
          const found = search(size, j + 1, [...chosen, open[j] as number]);
          if (found) return found;
        }
        return undefined;
      };
      for (let size = 0; size <= 6; size++) {
        const found = search(size, 0, []);
        if (found) {
          best = `${primaries.size + found.length} cells`;
          break;
        }
      }
    }
    console.log(`${label.padEnd(24)} | ${`${ours.cells} / ${ours.people} / ${ours.seconds.toFixed(2)}`.padEnd(21)} | ${greedy.padEnd(21)} | ${best}`);
  }
}
