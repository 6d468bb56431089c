import type { Highs } from 'highs';
import type { ProtectionTable } from '../../src/channels/reports/protection/index.ts';
import { auditPublishedMilp, type AuditFailure, type AuditFigure, type AuditQuantity } from './audit-published-milp.ts';
import { findSmallCells } from './small-report-tables.ts';

/**
 * The independent auditor (auditPublishedMilp: HiGHS on the attacker's MILP written from scratch,
 * not the product's model) on one suppression pattern of a protection table: the detailed cells'
 * attendances are the unknowns, every published attendances figure (a detailed cell or a margin)
 * an equation; every small cell's attendances must keep `levels` either side. This attacker knows
 * less than the product's (no participants), so it must never find what the product's audit
 * missed. Returns the figures that are not protected.
 */
export function auditAttendances(solver: Highs, table: ProtectionTable, suppressed: Iterable<number>, k: number, levels = { lower: 1, upper: 1 }): AuditFailure[] {
  const hidden = new Set(suppressed);
  const sums = new Map(table.sums as Iterable<readonly [number, ReadonlyArray<number>]>);
  const detailed = table.cells.flatMap((c, i) => (c.level === 0 ? [i] : []));
  const unitOf = new Map(detailed.map((cell, u) => [cell, u]));
  const unitsOf = (cell: number): number[] => (unitOf.has(cell) ? [unitOf.get(cell) as number] : (sums.get(cell) ?? []).map((p) => unitOf.get(p) as number));
  const truths = detailed.map((cell) => table.cells[cell]?.attendances ?? 0);
  const figures: AuditFigure[] = table.cells.map((c, i) => ({ units: unitsOf(i), value: hidden.has(i) ? null : c.attendances }));
  const quantities: AuditQuantity[] = [...findSmallCells(table, k)].map((i) => ({ units: unitsOf(i), label: `cell ${i} (attendances ${table.cells[i]?.attendances})` }));
  return auditPublishedMilp(solver, truths, figures, quantities, levels);
}
