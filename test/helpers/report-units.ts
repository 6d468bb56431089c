import type { AuditFigure, AuditQuantity } from './audit-published-milp.ts';

/**
 * A finest unit of the tests' independent auditor: one month and one value of each other
 * published dimension (branch, program). Every attendance in the tests is a different person,
 * so participants and attendances of any sum of units are the same count.
 */
export interface Unit {
  readonly month: string;
  readonly values: Readonly<Record<string, string>>;
}

/** What a unit shows in a dimension: month, quarter or year from its month; the value otherwise. */
export function unitValue(unit: Unit, dimension: string): string {
  if (dimension === 'month') return unit.month;
  if (dimension === 'quarter') return `${unit.month.slice(0, 4)}-Q${Math.floor((Number(unit.month.slice(5, 7)) - 1) / 3) + 1}`;
  if (dimension === 'year') return unit.month.slice(0, 4);
  return unit.values[dimension] ?? '';
}

/** The first and last month (YYYY-MM) of a period written 2026, 2026-Q3 or 2026-07. */
export function monthsOf(period: string): { first: string; last: string } {
  if (/^\d{4}$/.test(period)) return { first: `${period}-01`, last: `${period}-12` };
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) {
    const q = Number(quarter[2]);
    return { first: `${quarter[1]}-${String(3 * q - 2).padStart(2, '0')}`, last: `${quarter[1]}-${String(3 * q).padStart(2, '0')}` };
  }
  return { first: period, last: period };
}

/** A published table as the auditor reads it: its period, dimensions and rows as published. */
export interface PublishedForAudit {
  readonly period: string;
  readonly dimensions: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<{ readonly values: ReadonlyArray<string | null>; readonly counts: Readonly<Record<string, number | null>> }>;
}

/**
 * Each published row's figure (attendances; participants are the same count here) as a sum of
 * units, and each row whose true count is 1..k-1 as a quantity to protect.
 */
export function figuresOf(table: PublishedForAudit, units: ReadonlyArray<Unit>, truths: ReadonlyArray<number>, k: number): { figures: AuditFigure[]; quantities: AuditQuantity[] } {
  const { first, last } = monthsOf(table.period);
  const figures: AuditFigure[] = [];
  const quantities: AuditQuantity[] = [];
  for (const row of table.rows) {
    const members = units.flatMap((unit, u) => (unit.month >= first && unit.month <= last && row.values.every((v, d) => v === null || unitValue(unit, table.dimensions[d] ?? '') === v) ? [u] : []));
    const published = row.counts.attendances ?? null;
    figures.push({ units: members, value: published });
    if (row.counts.participants !== undefined) figures.push({ units: members, value: row.counts.participants ?? null });
    const truth = members.reduce((s, u) => s + (truths[u] ?? 0), 0);
    const label = `${table.period} ${row.values.map((v) => v ?? 'Total').join(' x ')} (true ${truth})`;
    if (truth > 0 && truth < k) quantities.push({ units: members, label });
  }
  return { figures, quantities };
}
