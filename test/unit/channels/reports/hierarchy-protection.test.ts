import { fc, test } from '@fast-check/vitest';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { produceGrantReport, type GrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { loadSolver, ReportProtectionError } from '../../../../src/channels/reports/protection/index.ts';
import { auditPublishedMilp, type AuditFigure, type AuditQuantity } from '../../../helpers/audit-published-milp.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';
import { figuresOf, type Unit } from '../../../helpers/report-units.ts';

const keys = createTestKeys();
const NOW = new Date('2026-12-31T12:00:00Z');
const K = 5;
const MONTH_WITHIN_QUARTER = grantContract(
  `{ dimensions: [{ name: month, from: date, generalize: month, within: quarter }, { name: quarter, from: date, generalize: quarter }, { name: branch, from: branch, generalize: none }], measures: [participants, attendances], minCellSize: ${K} }`,
);
const BRANCH_BY_PROGRAM = grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }], measures: [participants, attendances], minCellSize: ${K} }`);

let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

/** One row per attendance, each by a different person (so both measures are the same count). */
function inputOf(units: ReadonlyArray<Unit>, truths: ReadonlyArray<number>, columns: ReadonlyArray<string>): string {
  const lines = [`patronId,date,${columns.join(',')}`];
  let person = 0;
  units.forEach((unit, u) => {
    for (let i = 0; i < (truths[u] ?? 0); i++) lines.push(`CANARY${person++},${unit.month}-${String(1 + (i % 28)).padStart(2, '0')},${columns.map((c) => unit.values[c] ?? '').join(',')}`);
  });
  return lines.join('\n');
}

/** The auditor's verdict on one published report: every small figure and every small unit keeps one unit either side. */
function auditReport(report: GrantReport, period: string, units: ReadonlyArray<Unit>, truths: ReadonlyArray<number>, known: ReadonlyArray<AuditFigure> = []) {
  const { figures, quantities } = figuresOf({ period, dimensions: report.dimensions, rows: report.rows }, units, truths, K);
  const small: AuditQuantity[] = units.flatMap((unit, u) => ((truths[u] ?? 0) > 0 && (truths[u] ?? 0) < K ? [{ units: [u], label: `unit ${unit.month} ${JSON.stringify(unit.values)} (true ${truths[u]})` }] : []));
  return auditPublishedMilp(solver, truths, [...figures, ...known], [...quantities, ...small]);
}

describe('a declared hierarchy (month within quarter) is protected as one dimension', () => {
  // The finding: with month and quarter from one date, the cartesian table had July in Q4
  // (zeros whose margins are 0), and the month-by-quarter margins repeated the months, so the
  // solver pinned cells of 9 and 6 and a cell of 1.
  const months = ['2026-07', '2026-08', '2026-09', '2026-10'];
  const units: Unit[] = months.flatMap((month) => ['east', 'main'].map((branch) => ({ month, values: { branch } })));
  const truths = [1, 9, 12, 6, 8, 15, 3, 20];

  it('combinations that cannot occur are no cells, a month summed over its quarter is not published twice, and no small figure is pinned', async () => {
    const report = await produceGrantReport(csvStream(inputOf(units, truths, ['branch'])), MONTH_WITHIN_QUARTER, { pseudonyms: keys, now: NOW });
    const shown = report.rows.map((r) => r.values.map((v) => v ?? 'Total').join(' '));
    expect(shown).not.toContain('2026-07 2026-Q4 east');
    expect(shown.filter((s) => /^2026-\d\d Total/.test(s))).toEqual([]);
    // 8 detailed cells; (quarter, branch) 4; (month, quarter) 4; quarter 2; branch 2; grand 1.
    expect(report.rows).toHaveLength(21);
    expect(report.rows.find((r) => r.values.join() === '2026-07,2026-Q3,east')?.counts).toEqual({ participants: null, attendances: null });
    expect(auditReport(report, '2026', units, truths)).toEqual([]);
  });

  it('the quarter subtotal over its months is a published margin the attacker uses (it is audited, not ignored)', async () => {
    // A lone small month in a quarter: the quarter total minus the other months would give it.
    const report = await produceGrantReport(csvStream(inputOf(units, [9, 9, 9, 9, 9, 9, 2, 9], ['branch'])), MONTH_WITHIN_QUARTER, { pseudonyms: keys, now: NOW });
    const figure = (values: string): number | null | undefined => report.rows.find((r) => r.values.map((v) => v ?? 'Total').join() === values)?.counts.attendances;
    expect(figure('2026-10,2026-Q4,east')).toBeNull();
    expect([figure('Total,2026-Q4,east'), figure('2026-10,2026-Q4,Total'), figure('2026-10,2026-Q4,main')]).toContain(null);
    expect(auditReport(report, '2026', units, [9, 9, 9, 9, 9, 9, 2, 9])).toEqual([]);
  });

  test.prop(
    [
      fc.integer({ min: 2, max: 3 }).chain((branches) =>
        fc.tuple(fc.constant(branches), fc.subarray(['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'], { minLength: 2 }), fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 12 })), { minLength: 15, maxLength: 15 })),
      ),
    ],
    { numRuns: 20 },
  )('random month-within-quarter tables: every small figure and small cell keeps an exact integer interval (HiGHS MILP on the published figures)', async ([branches, months, counts]) => {
    const randomUnits: Unit[] = months.flatMap((month) => Array.from({ length: branches }, (_, b) => ({ month, values: { branch: `b${b}` } })));
    const randomTruths = randomUnits.map((_, u) => counts[u] ?? 0);
    const published = await produceGrantReport(csvStream(inputOf(randomUnits, randomTruths, ['branch'])), MONTH_WITHIN_QUARTER, { pseudonyms: keys, now: NOW }).catch((error: unknown) => error);
    if (published instanceof ReportProtectionError) return; // refused: nothing published
    const report = published as GrantReport;
    // Months and branches never seen are no units of the published table.
    const seen = (u: Unit): boolean => randomUnits.some((v, i) => (randomTruths[i] ?? 0) > 0 && v.month === u.month) && randomUnits.some((v, i) => (randomTruths[i] ?? 0) > 0 && v.values['branch'] === u.values['branch']);
    const kept = randomUnits.flatMap((u, i) => (seen(u) ? [{ unit: u, truth: randomTruths[i] ?? 0 }] : []));
    expect(auditReport(report, '2026', kept.map((k) => k.unit), kept.map((k) => k.truth))).toEqual([]);
  }, 300_000);
});

describe('programmes that run at one branch', () => {
  it('a small branch-exclusive programme stays protected when the attacker knows the programme runs nowhere else (its zeros are known)', async () => {
    const branches = ['east', 'main', 'west'];
    const programs = ['robotics', 'storytime', 'tutoring'];
    const units: Unit[] = branches.flatMap((branch) => programs.map((program) => ({ month: '2026-07', values: { branch, program } })));
    // robotics only at main (3 people), tutoring only at east and west.
    const truths = [0, 14, 7, 3, 22, 0, 0, 9, 12];
    const report = await produceGrantReport(csvStream(inputOf(units, truths, ['branch', 'program'])), BRANCH_BY_PROGRAM, { pseudonyms: keys, now: NOW });
    const knownZeros: AuditFigure[] = truths.flatMap((t, u) => (t === 0 ? [{ units: [u], value: 0 }] : []));
    expect(auditReport(report, '2026-07', units, truths, knownZeros)).toEqual([]);
    expect(JSON.stringify(report)).not.toMatch(/CANARY/);
  });
});
