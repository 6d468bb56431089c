import { fc, test } from '@fast-check/vitest';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { produceGrantReport, type GrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { loadSolver, ReportProtectionError } from '../../../../src/channels/reports/protection/index.ts';
import { createEmptyLedger, recordRelease, selectLinked, type ReleaseLedger } from '../../../../src/channels/reports/release-ledger.ts';
import { resolveReportingPeriod } from '../../../../src/channels/reports/reporting-period.ts';
import { auditPublishedMilp, type AuditFailure, type AuditFigure, type AuditQuantity } from '../../../helpers/audit-published-milp.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';
import { figuresOf, type Unit } from '../../../helpers/report-units.ts';

const keys = createTestKeys();
const NOW = new Date('2026-12-31T12:00:00Z');
const K = 5;
const BY_BRANCH = grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants, attendances], minCellSize: ${K} }`);
const BY_BRANCH_AND_PROGRAM = grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }], measures: [participants, attendances], minCellSize: ${K} }`);

let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

/** One row per attendance, each by a different person (both measures are the same count); ids are canaries. */
function inputOf(units: ReadonlyArray<Unit>, truths: ReadonlyArray<number>, columns: ReadonlyArray<string>): string {
  const lines = [`patronId,date,${columns.join(',')}`];
  let person = 0;
  units.forEach((unit, u) => {
    for (let i = 0; i < (truths[u] ?? 0); i++) lines.push(`CANARY${person++},${unit.month}-${String(1 + (i % 28)).padStart(2, '0')},${columns.map((c) => unit.values[c] ?? '').join(',')}`);
  });
  return lines.join('\n');
}

/** Publishes one period against the ledger (as `gateway report --ledger` does): the report, or the refusal. */
async function publish(ledger: ReleaseLedger, periodText: string, input: string, contract = BY_BRANCH, useLedger = true): Promise<{ ledger: ReleaseLedger; report?: GrantReport; refused?: Error }> {
  const period = resolveReportingPeriod(periodText, undefined);
  if (!period) throw new Error('no period');
  try {
    const report = await produceGrantReport(csvStream(input), contract, { period: periodText, pseudonyms: keys, now: NOW, ...(useLedger ? { priorTables: selectLinked(ledger, period) } : {}) });
    return { ledger: recordRelease(ledger, report, period), report };
  } catch (error) {
    if (!(error instanceof ReportProtectionError)) throw error;
    return { ledger, refused: error };
  }
}

/**
 * The independent audit of everything a grant published: every figure of every table in the
 * ledger is an equation over (month x cell) units; every small figure of every table and every
 * small unit must keep an integer interval one unit either side.
 */
function auditLedger(ledger: ReleaseLedger, units: ReadonlyArray<Unit>, truths: ReadonlyArray<number>): AuditFailure[] {
  const figures: AuditFigure[] = [];
  const quantities: AuditQuantity[] = [];
  for (const release of ledger.releases) {
    const own = figuresOf(release, units, truths, K);
    figures.push(...own.figures);
    quantities.push(...own.quantities);
  }
  units.forEach((unit, u) => {
    const truth = truths[u] ?? 0;
    if (truth > 0 && truth < K) quantities.push({ units: [u], label: `${unit.month} ${JSON.stringify(unit.values)} (true ${truth})` });
  });
  return auditPublishedMilp(solver, truths, figures, quantities);
}

const monthsOfQ3 = ['2026-07', '2026-08', '2026-09'];
const branches = ['east', 'main', 'west'];
const unitsOf = (months: ReadonlyArray<string>, names: ReadonlyArray<string> = branches): Unit[] => months.flatMap((month) => names.map((branch) => ({ month, values: { branch } })));

describe('linked reports across overlapping periods (release ledger)', () => {
  // The finding: east had 12 in July, 15 in August and 2 in September. July and August
  // were published; the quarter published east as 29, and 29 - 12 - 15 gave September's 2.
  const units = unitsOf(monthsOfQ3);
  const truths = [12, 30, 9, 15, 28, 11, 2, 31, 10];
  const input = inputOf(units, truths, ['branch']);

  it('the quarter after its months: "quarter minus July minus August" no longer gives September', async () => {
    let ledger = createEmptyLedger('test-grant');
    for (const period of ['2026-07', '2026-08', '2026-Q3']) {
      const step = await publish(ledger, period, input);
      expect(step.refused).toBeUndefined();
      ledger = step.ledger;
    }
    const quarter = ledger.releases[2];
    expect(quarter?.rows.find((r) => r.values[0] === 'east')?.counts.attendances).toBeNull();
    expect(auditLedger(ledger, units, truths)).toEqual([]);
    expect(JSON.stringify(ledger)).not.toMatch(/CANARY/);
  });

  it('the same quarter protected alone (no ledger) is differenced by the auditor: the test can fail', async () => {
    let ledger = createEmptyLedger('test-grant');
    for (const period of ['2026-07', '2026-08']) ledger = (await publish(ledger, period, input)).ledger;
    ledger = (await publish(ledger, '2026-Q3', input, BY_BRANCH, false)).ledger;
    expect(auditLedger(ledger, units, truths).map((f) => f.label)).toContain('2026-09 {"branch":"east"} (true 2)');
  });

  it.each([
    ['a year after its quarters (Q1 small at east)', ['2026-Q1', '2026-Q2', '2026-Q3', '2026'], ['2026-02', '2026-05', '2026-08', '2026-11'], [3, 20, 9, 14, 22, 8, 12, 25, 7, 11, 19, 6]],
    ['a re-issue of the same quarter', ['2026-Q3', '2026-Q3'], monthsOfQ3, truths],
    ['months, the quarter, then the quarter again', ['2026-09', '2026-07', '2026-Q3', '2026-Q3'], monthsOfQ3, [2, 30, 9, 15, 28, 11, 12, 31, 10]],
    ['a month after its quarter (the input covers the quarter)', ['2026-Q3', '2026-07'], monthsOfQ3, truths],
    ['the issue\'s chain the other way round: the quarter, August, then July (Q3 - Aug - Jul would be September)', ['2026-Q3', '2026-08', '2026-07'], monthsOfQ3, truths],
    ['a quarter after its year, then another quarter', ['2026', '2026-Q3', '2026-Q1'], ['2026-02', '2026-05', '2026-08', '2026-11'], [3, 20, 9, 14, 22, 8, 12, 25, 7, 11, 19, 6]],
  ])('%s: every table of the ledger keeps every small figure and small month protected', async (_why, periods, months, counts) => {
    const caseUnits = unitsOf(months);
    const caseInput = inputOf(caseUnits, counts, ['branch']);
    let ledger = createEmptyLedger('test-grant');
    for (const period of periods) ledger = (await publish(ledger, period, caseInput)).ledger;
    expect(ledger.releases.length).toBeGreaterThan(1);
    expect(auditLedger(ledger, caseUnits, counts)).toEqual([]);
  });

  it('a month after its published quarter, with an input that does not hold the rest of the quarter, is refused: nothing published, the ledger as it was', async () => {
    const ledger = (await publish(createEmptyLedger('test-grant'), '2026-Q3', input)).ledger;
    const julyOnly = inputOf(units.slice(0, 3), truths.slice(0, 3), ['branch']);
    const step = await publish(ledger, '2026-07', julyOnly);
    expect(step.refused?.message).toBe(
      "the release ledger holds a table of 2026-Q3, which reaches beyond this period, and the input does not hold its data as published (a figure differs from today's count over its days): the rest of that period cannot be audited, so the report was not published (give an input that covers 2026-Q3 as it was published, or publish shorter periods before the longer period that contains them)",
    );
    expect(step.ledger).toBe(ledger);
  });

  it('a ledger whose figures already give a small month away (a quarter published without joint protection) makes the re-issue unprotectable: refused, nothing recorded', async () => {
    let ledger = createEmptyLedger('test-grant');
    for (const period of ['2026-07', '2026-08']) ledger = (await publish(ledger, period, input)).ledger;
    ledger = (await publish(ledger, '2026-Q3', input, BY_BRANCH, false)).ledger;
    const step = await publish(ledger, '2026-Q3', input);
    expect(step.refused?.message).toMatch(/^the table cannot be protected: \d+ sensitive figure\(s\) keep too narrow an interval after suppression; the report was not published$/);
    expect(step.ledger).toBe(ledger);
  });

  it('a hierarchy (month within quarter) linked with the months published before: the auditor finds nothing to difference', async () => {
    const monthly = grantContract(`{ dimensions: [{ name: month, from: date, generalize: month, within: quarter }, { name: quarter, from: date, generalize: quarter }, { name: branch, from: branch, generalize: none }], measures: [participants, attendances], minCellSize: ${K} }`);
    let ledger = createEmptyLedger('test-grant');
    for (const period of ['2026-07', '2026-08', '2026-Q3']) {
      const step = await publish(ledger, period, input, monthly);
      expect(step.refused).toBeUndefined();
      ledger = step.ledger;
    }
    expect(auditLedger(ledger, units, truths)).toEqual([]);
  });

  it('a coarser published table (branch only) links to a later branch x programme table through the branch', async () => {
    const programUnits: Unit[] = monthsOfQ3.flatMap((month) => ['east', 'main'].flatMap((branch) => ['art', 'code'].map((program) => ({ month, values: { branch, program } }))));
    const counts = [6, 7, 20, 22, 8, 9, 21, 19, 1, 1, 18, 17];
    const programInput = inputOf(programUnits, counts, ['branch', 'program']);
    let ledger = createEmptyLedger('test-grant');
    ledger = (await publish(ledger, '2026-07', programInput, BY_BRANCH)).ledger;
    ledger = (await publish(ledger, '2026-08', programInput, BY_BRANCH)).ledger;
    const step = await publish(ledger, '2026-Q3', programInput, BY_BRANCH_AND_PROGRAM);
    expect(step.refused).toBeUndefined();
    expect(auditLedger(step.ledger, programUnits, counts)).toEqual([]);
  });

  it('a coarser quarter (branch only) published first links to a later branch x programme month through the branch (distinct people of the coarser figure counted over the whole quarter)', async () => {
    const programUnits: Unit[] = monthsOfQ3.flatMap((month) => ['east', 'main'].flatMap((branch) => ['art', 'code'].map((program) => ({ month, values: { branch, program } }))));
    const counts = [6, 7, 20, 22, 8, 9, 21, 19, 1, 1, 18, 17];
    const programInput = inputOf(programUnits, counts, ['branch', 'program']);
    // Without totals, the quarter's branch figures are no cells of the month's model: hidden sums.
    const noTotals = grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }], measures: [participants, attendances], minCellSize: ${K}, totals: false }`);
    for (const contract of [BY_BRANCH_AND_PROGRAM, noTotals]) {
      let ledger = (await publish(createEmptyLedger('test-grant'), '2026-Q3', programInput, BY_BRANCH)).ledger;
      for (const month of ['2026-09', '2026-07']) {
        const step = await publish(ledger, month, programInput, contract);
        expect(step.refused).toBeUndefined();
        ledger = step.ledger;
      }
      expect(auditLedger(ledger, programUnits, counts)).toEqual([]);
    }
  });

  it('a published table with a dimension this report lacks is refused: nothing published, the ledger as it was', async () => {
    const programUnits: Unit[] = monthsOfQ3.flatMap((month) => ['east', 'main'].flatMap((branch) => ['art', 'code'].map((program) => ({ month, values: { branch, program } }))));
    const programInput = inputOf(programUnits, programUnits.map(() => 9), ['branch', 'program']);
    const before = (await publish(createEmptyLedger('test-grant'), '2026-07', programInput, BY_BRANCH_AND_PROGRAM)).ledger;
    const step = await publish(before, '2026-Q3', programInput, BY_BRANCH);
    expect(step.refused?.message).toMatch(/^the release ledger holds a table of 2026-07 \(linked to this period\) with the dimension "program", which this report does not have.*not published/);
    expect(step.refused?.message).not.toMatch(/CANARY|\b9\b/);
    expect(step.ledger).toBe(before);
  });

  test.prop(
    [
      fc.record({
        kind: fc.constantFrom('quarter', 'year'),
        branchCount: fc.integer({ min: 2, max: 3 }),
        counts: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 25 })), { minLength: 36, maxLength: 36 }),
        parts: fc.shuffledSubarray([0, 1, 2], { minLength: 0, maxLength: 3 }),
        reissue: fc.boolean(),
        partReissued: fc.boolean(),
        order: fc.integer({ min: 0, max: 3 }),
      }),
    ],
    { numRuns: 20, seed: -1569922795 },
  )('random ledgers of overlapping periods (months and their quarter, quarters and their year, in any order, re-issues): the auditor finds nothing to difference', async ({ kind, branchCount, counts, parts, reissue, partReissued, order }) => {
    const months = kind === 'quarter' ? monthsOfQ3 : ['2026-02', '2026-05', '2026-08'];
    const names = branches.slice(0, branchCount);
    const caseUnits = unitsOf(months, names);
    const caseCounts = caseUnits.map((_, u) => counts[u] ?? 0);
    const caseInput = inputOf(caseUnits, caseCounts, ['branch']);
    const partPeriods = parts.map((p) => (kind === 'quarter' ? (monthsOfQ3[p] ?? '') : `2026-Q${p + 1}`));
    const whole = kind === 'quarter' ? '2026-Q3' : '2026';
    // The longer period anywhere in the order (before its parts, between them or after them).
    const wholeAt = Math.min(partPeriods.length, order);
    const sequence = [...partPeriods.slice(0, wholeAt), whole, ...partPeriods.slice(wholeAt), ...(partReissued && partPeriods[0] ? [partPeriods[0]] : []), ...(reissue ? [whole] : [])];
    let ledger = createEmptyLedger('test-grant');
    for (const period of sequence) ledger = (await publish(ledger, period, caseInput)).ledger;
    // Months never seen in the data are no units (the year's other months hold nothing).
    expect(auditLedger(ledger, caseUnits, caseCounts)).toEqual([]);
  }, 600_000);

  test.prop(
    [
      fc.record({
        counts: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 20 })), { minLength: 12, maxLength: 12 }),
        parts: fc.shuffledSubarray(['2026-07', '2026-08', '2026-09'], { minLength: 1, maxLength: 3 }),
      }),
    ],
    { numRuns: 12 },
  )('random 2-D (branch x programme) months then their quarter: the auditor finds nothing to difference', async ({ counts, parts }) => {
    const caseUnits: Unit[] = monthsOfQ3.flatMap((month) => ['east', 'main'].flatMap((branch) => ['art', 'code'].map((program) => ({ month, values: { branch, program } }))));
    const caseInput = inputOf(caseUnits, counts, ['branch', 'program']);
    let ledger = createEmptyLedger('test-grant');
    for (const period of [...parts, '2026-Q3']) ledger = (await publish(ledger, period, caseInput, BY_BRANCH_AND_PROGRAM)).ledger;
    expect(auditLedger(ledger, caseUnits, counts)).toEqual([]);
  }, 600_000);

  test.prop(
    [
      fc.record({
        counts: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 20 })), { minLength: 12, maxLength: 12 }),
        sequence: fc.array(fc.tuple(fc.constantFrom('2026-07', '2026-08', '2026-09', '2026-Q3'), fc.constantFrom(0, 1, 2)), { minLength: 2, maxLength: 5 }),
      }),
    ],
    { numRuns: 12 },
  )('random ledgers mixing periods in any order and coarser and finer tables (branch; branch x programme, with and without totals): the auditor finds nothing to difference', async ({ counts, sequence }) => {
    const noTotals = grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }], measures: [participants, attendances], minCellSize: ${K}, totals: false }`);
    const contracts = [BY_BRANCH, BY_BRANCH_AND_PROGRAM, noTotals];
    const caseUnits: Unit[] = monthsOfQ3.flatMap((month) => ['east', 'main'].flatMap((branch) => ['art', 'code'].map((program) => ({ month, values: { branch, program } }))));
    const caseInput = inputOf(caseUnits, counts, ['branch', 'program']);
    let ledger = createEmptyLedger('test-grant');
    for (const [period, which] of sequence) ledger = (await publish(ledger, period, caseInput, contracts[which] ?? BY_BRANCH)).ledger;
    expect(auditLedger(ledger, caseUnits, counts)).toEqual([]);
  }, 600_000);
});
