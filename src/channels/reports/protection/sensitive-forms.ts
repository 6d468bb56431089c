import type { AttackerModel } from './attacker-model.ts';
import type { ProtectionOptions, ProtectionTable, SensitiveForm } from './protection-types.ts';

/**
 * Every quantity that needs protection, as a linear form over the figures:
 *
 * - small cells: each published measure of a cell with 1..k-1 people or attendances;
 * - implied groups: a participants margin minus one of its direct parts (the people who came to
 *   the margin but never to that part) when that difference is 1..k-1;
 * - sensitive zeros: a zero cell in a sensitive dimension whose group (the same cell summed over
 *   that dimension) is not empty, since publishing it says the whole group shares a value.
 * Pure.
 */
export function findSensitiveForms(table: ProtectionTable, model: AttackerModel, options: Pick<ProtectionOptions, 'minCellSize' | 'measures' | 'sensitiveDimensions'>): SensitiveForm[] {
  const k = options.minCellSize;
  const small = (n: number): boolean => n > 0 && n < k;
  const forms: SensitiveForm[] = [];
  table.cells.forEach((cell, i) => {
    if (cell.audited === false || !options.measures.some((m) => small(cell[m]))) return;
    // A cell with people has attendances and the other way round: both figures are above 0.
    for (const measure of options.measures) forms.push({ kind: 'small-cell', terms: [{ cell: i, measure, coefficient: 1 }], value: cell[measure] });
  });
  if (options.measures.includes('participants')) {
    model.children.forEach((parts, total) => {
      // An earlier report's figure (parts of its own) is audited as a cell, not as groups.
      if (table.cells[total]?.audited === false || table.cells[total]?.parts) return;
      const whole = table.cells[total]?.participants ?? 0;
      for (const part of parts) {
        const difference = whole - (table.cells[part]?.participants ?? 0);
        if (!small(difference)) continue;
        forms.push({ kind: 'implied-group', terms: [{ cell: total, measure: 'participants', coefficient: 1 }, { cell: part, measure: 'participants', coefficient: -1 }], value: difference });
      }
    });
  }
  const sensitive = options.sensitiveDimensions ?? [];
  if (sensitive.length > 0) {
    const valuesOf = table.cells.map((c) => c.values);
    const groupSize = groupSizes(table, sensitive);
    table.cells.forEach((cell, i) => {
      if (cell.attendances !== 0 || cell.audited === false || cell.parts) return;
      for (const d of sensitive) {
        if (cell.values[d] === null || cell.values[d] === undefined) continue;
        const group = JSON.stringify(valuesOf[i]?.map((v, e) => (e === d ? null : v)));
        if ((groupSize.get(group) ?? 0) === 0) continue;
        for (const measure of options.measures) forms.push({ kind: 'sensitive-zero', terms: [{ cell: i, measure, coefficient: 1 }], value: 0 });
        break;
      }
    });
  }
  return forms;
}

/** Attendances of each group (a cell's values with one sensitive dimension summed over). */
function groupSizes(table: ProtectionTable, sensitive: ReadonlyArray<number>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const cell of table.cells) {
    if (cell.parts) continue;
    for (const d of sensitive) {
      if (cell.values[d] === null || cell.values[d] === undefined) continue;
      const key = JSON.stringify(cell.values.map((v, e) => (e === d ? null : v)));
      sizes.set(key, (sizes.get(key) ?? 0) + cell.attendances);
    }
  }
  return sizes;
}
