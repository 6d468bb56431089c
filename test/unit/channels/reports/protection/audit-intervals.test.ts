import { fc, test } from '@fast-check/vitest';
import type { Highs } from 'highs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { auditIntervals, buildAttackerModel, loadSolver, protectTable, type ProtectionTable, type SensitiveForm } from '../../../../../src/channels/reports/protection/index.ts';
import { buildTestTable, type Visit } from '../../../../helpers/report-tables.ts';

// The auditor (README, Grant reports: "the attacker's tightest interval, minimize and maximize it
// over the attacker's linear program, bounds rounded inward to integers"), checked against an
// exact enumeration of every non-negative integer table that agrees with what is published. On
// 2-D tables with one measure the linear program's bounds are the exact integer ones.
let solver: Highs;
beforeAll(async () => {
  solver = await loadSolver();
});

const ATTENDANCES = { minCellSize: 5, measures: ['attendances'] as const };

/** One visit per person, cell by cell (flat index over `sizes`). */
function tableOf(sizes: ReadonlyArray<number>, counts: ReadonlyArray<number>): ProtectionTable {
  const visits: Visit[] = [];
  let person = 0;
  counts.forEach((count, flat) => {
    const at: number[] = [];
    let rest = flat;
    for (let d = sizes.length - 1; d >= 0; d--) {
      at.unshift(rest % (sizes[d] ?? 1));
      rest = Math.floor(rest / (sizes[d] ?? 1));
    }
    for (let i = 0; i < count; i++) visits.push({ person: person++, at, times: 1 });
  });
  return buildTestTable(sizes, visits);
}

const sumsOf = (table: ProtectionTable): Map<number, ReadonlyArray<number>> => new Map(table.sums as Map<number, number[]>);

/**
 * Exact enumeration (a formulation independent of the product's): every assignment of the
 * suppressed detailed cells in 0..bound that keeps every published figure, and each form's least
 * and greatest value over them (a form's margin terms are the sums of their parts).
 */
function enumerateForms(table: ProtectionTable, hidden: ReadonlySet<number>, forms: ReadonlyArray<SensitiveForm>, bound: number): Array<{ min: number; max: number }> {
  const sums = sumsOf(table);
  const detailed = table.cells.flatMap((c, i) => (c.level === 0 ? [i] : []));
  const unknown = detailed.filter((i) => hidden.has(i));
  const value = new Map(detailed.filter((i) => !hidden.has(i)).map((i) => [i, table.cells[i]?.attendances ?? 0]));
  const constraints = [...sums].filter(([total]) => !hidden.has(total)).map(([total, parts]) => ({ parts, value: table.cells[total]?.attendances ?? 0 }));
  const figure = (cell: number): number => (table.cells[cell]?.level === 0 ? (value.get(cell) ?? 0) : (sums.get(cell) ?? []).reduce((s, p) => s + (value.get(p) ?? 0), 0));
  const result = forms.map(() => ({ min: Infinity, max: -Infinity }));
  const fits = (complete: boolean): boolean =>
    constraints.every((c) => {
      let sum = 0;
      let open = false;
      for (const p of c.parts) {
        const v = value.get(p);
        if (v === undefined) open = true;
        else sum += v;
      }
      return sum <= c.value && (open && !complete ? true : sum === c.value);
    });
  const walk = (k: number): void => {
    if (k === unknown.length) {
      if (!fits(true)) return;
      forms.forEach((form, f) => {
        const v = form.terms.reduce((s, t) => s + t.coefficient * figure(t.cell), 0);
        const r = result[f];
        if (r) {
          r.min = Math.min(r.min, v);
          r.max = Math.max(r.max, v);
        }
      });
      return;
    }
    const cell = unknown[k] as number;
    for (let v = 0; v <= bound; v++) {
      value.set(cell, v);
      if (fits(false)) walk(k + 1);
    }
    value.delete(cell);
  };
  walk(0);
  return result;
}

const cellForm = (table: ProtectionTable, cell: number, coefficient = 1): SensitiveForm => ({
  kind: 'small-cell',
  terms: [{ cell, measure: 'attendances', coefficient }],
  value: coefficient * (table.cells[cell]?.attendances ?? 0),
});

describe('auditIntervals: the attacker\'s tightest interval for every sensitive form', () => {
  test.prop(
    [
      fc.tuple(fc.integer({ min: 2, max: 3 }), fc.constant(2)).chain(([r, c]) =>
        fc.tuple(
          fc.constant([r, c]),
          fc.array(fc.integer({ min: 0, max: 4 }), { minLength: r * c, maxLength: r * c }),
          // Which figures are suppressed (the grand total stays published: it bounds the enumeration).
          fc.array(fc.boolean(), { minLength: (r + 1) * (c + 1), maxLength: (r + 1) * (c + 1) }),
          fc.record({ lower: fc.integer({ min: 1, max: 3 }), upper: fc.integer({ min: 1, max: 3 }) }),
        ),
      ),
    ],
    { numRuns: 60, seed: 20261202 },
  )('random 2-D tables and suppression patterns: each form\'s interval lies within the exact integer one, and "protected" says whether the exact one reaches the levels', ([sizes, counts, hide, levels]) => {
    const table = tableOf(sizes, counts);
    const grand = table.cells.findIndex((c) => c.level === sizes.length);
    const hidden = new Set(table.cells.flatMap((_, i) => (hide[i] && i !== grand ? [i] : [])));
    const detailed = table.cells.flatMap((c, i) => (c.level === 0 ? [i] : []));
    const margin = [...sumsOf(table)].find(([total]) => table.cells[total]?.level === 1);
    const forms: SensitiveForm[] = [
      ...detailed.map((i) => cellForm(table, i)),
      // Twice a cell, and two cells together: linear forms in general, not only single figures.
      cellForm(table, detailed[0] ?? 0, 2),
      { kind: 'small-cell', terms: [0, 1].map((k) => ({ cell: detailed[k] ?? 0, measure: 'attendances' as const, coefficient: 1 })), value: (table.cells[detailed[0] ?? 0]?.attendances ?? 0) + (table.cells[detailed[1] ?? 0]?.attendances ?? 0) },
    ];
    if (margin) {
      const [total, parts] = margin;
      const part = parts[0] ?? 0;
      forms.push({ kind: 'implied-group', terms: [{ cell: total, measure: 'attendances', coefficient: 1 }, { cell: part, measure: 'attendances', coefficient: -1 }], value: (table.cells[total]?.attendances ?? 0) - (table.cells[part]?.attendances ?? 0) });
    }
    const audit = auditIntervals(solver, buildAttackerModel(table, ATTENDANCES), forms, hidden, levels);
    const exact = enumerateForms(table, hidden, forms, table.cells[grand]?.attendances ?? 0);
    // A side the audit reports is one an integer table reaches: never wider than the exact interval
    // (it may stop at the level once an integer table shows the level reached).
    audit.forms.forEach((f, i) => {
      const e = exact[i];
      expect(f.min + 0).toBeGreaterThanOrEqual(e?.min ?? Number.NaN);
      expect(f.max + 0).toBeLessThanOrEqual(e?.max ?? Number.NaN);
      // Protected exactly when the exact integer interval reaches both levels: no false protection,
      // and on tables this small no refusal an exact attacker would not justify.
      const reaches = (e?.min ?? Number.NaN) <= Math.max(0, f.form.value - levels.lower) && (e?.max ?? Number.NaN) >= f.form.value + levels.upper;
      expect(f.protected).toBe(reaches);
    });
    audit.forms.forEach((f) => expect(f.protected).toBe(f.min <= Math.max(0, f.form.value - levels.lower) && f.max >= f.form.value + levels.upper));
    expect(audit.passed).toBe(audit.forms.every((f) => f.protected));
    expect(audit.forms.map((f) => f.form)).toEqual(forms);
  });

  it.each([
    // Row r0 = [2, 8 | 10], row r1 = [9, 7 | 16], columns [11, 15], total 26.
    ['nothing suppressed: every figure is known exactly', [], { lower: 1, upper: 1 }, [2, 2], false],
    ['only the small cell suppressed: its margins give it away', [0], { lower: 1, upper: 1 }, [2, 2], false],
    ['a rectangle of four: the cell lies anywhere from 0 to 2 + min(8, 9)', [0, 1, 2, 3], { lower: 1, upper: 1 }, [0, 10], true],
    ['a rectangle of four, asked for 10 above: reaches it exactly', [0, 1, 2, 3], { lower: 2, upper: 8 }, [0, 10], true],
    ['a rectangle of four, asked for 9 above: one short', [0, 1, 2, 3], { lower: 2, upper: 9 }, [0, 10], false],
    ['its row and the grand total suppressed too: the other row and the columns still bound it (10)', [0, 1, 2, 3, 6, 8], { lower: 1, upper: 1 }, [0, 10], true],
    ['every figure suppressed: nothing bounds it above', [0, 1, 2, 3, 4, 5, 6, 7, 8], { lower: 1, upper: 1 }, [0, Infinity], true],
  ])('%s', (_why, suppressed, levels, [min, max], passed) => {
    const table = tableOf([2, 2], [2, 8, 9, 7]);
    // Index the figures as the table lists them: detailed 0..3, then margins; find the ones the case names by value.
    const audit = auditIntervals(solver, buildAttackerModel(table, ATTENDANCES), [cellForm(table, 0)], new Set(suppressed.map((i) => indexOf(table, i))), levels);
    const form = audit.forms[0];
    expect([form?.min === undefined ? undefined : form.min + 0, form?.max, form?.protected]).toEqual([min, max, passed]);
    expect(audit.passed).toBe(passed);
  });

  it('a zero is never pushed below 0: its interval starts at 0 and only needs room above', () => {
    const table = tableOf([2, 2], [0, 8, 9, 7]);
    const audit = auditIntervals(solver, buildAttackerModel(table, ATTENDANCES), [cellForm(table, 0)], new Set([0, 1, 2, 3]), { lower: 1, upper: 1 });
    const form = audit.forms[0];
    expect([form?.min === undefined ? undefined : form.min + 0, form?.max, form?.protected]).toEqual([0, 8, true]);
  });

  it('published figures that contradict each other are refused, not audited', () => {
    const table = tableOf([2, 2], [2, 8, 9, 7]);
    const total = table.cells.findIndex((c) => c.level === 2);
    const broken: ProtectionTable = { cells: table.cells.map((c, i) => (i === total ? { ...c, attendances: c.attendances + 5 } : c)), sums: table.sums };
    expect(() => auditIntervals(solver, buildAttackerModel(broken, ATTENDANCES), [cellForm(broken, 0)], new Set([0, 1, 2, 3]), { lower: 1, upper: 1 })).toThrow(/inconsistent/);
  });

  it('no forms: nothing to audit, and the audit passes', () => {
    const table = tableOf([2, 2], [6, 8, 9, 7]);
    expect(auditIntervals(solver, buildAttackerModel(table, ATTENDANCES), [], new Set(), { lower: 1, upper: 1 })).toEqual({ passed: true, forms: [] });
  });
});

/**
 * The cases above name figures as a 2x2 table with margins reads: 0..3 the detailed cells row by
 * row, 4 and 5 the column totals, 6 and 7 the row totals, 8 the grand total; mapped here onto
 * the test table's own order.
 */
function indexOf(table: ProtectionTable, figure: number): number {
  const wanted: Array<Array<string | null>> = [
    ['v0.0', 'v1.0'], ['v0.0', 'v1.1'], ['v0.1', 'v1.0'], ['v0.1', 'v1.1'],
    [null, 'v1.0'], [null, 'v1.1'], ['v0.0', null], ['v0.1', null], [null, null],
  ];
  return table.cells.findIndex((c) => JSON.stringify(c.values) === JSON.stringify(wanted[figure]));
}

describe('the audit protectTable returns', () => {
  it('names each implied group as the participants margin minus its part, both in participants', async () => {
    // 12 people come to both programmes, 2 more only to programme 0: the distinct total minus
    // programme 1 is those 2 people.
    const visits: Visit[] = [];
    for (let p = 0; p < 12; p++) visits.push({ person: p, at: [0], times: 1 }, { person: p, at: [1], times: 1 });
    visits.push({ person: 100, at: [0], times: 1 }, { person: 101, at: [0], times: 1 });
    const table = buildTestTable([2], visits);
    const total = table.cells.findIndex((c) => c.level === 1);
    const programme1 = table.cells.findIndex((c) => c.values[0] === 'v0.1');
    const result = await protectTable(table, { minCellSize: 11, measures: ['participants'], solver });
    const groups = result.audit.forms.filter((f) => f.form.kind === 'implied-group').map((f) => f.form);
    expect(groups).toContainEqual({ kind: 'implied-group', terms: [{ cell: total, measure: 'participants', coefficient: 1 }, { cell: programme1, measure: 'participants', coefficient: -1 }], value: 2 });
  });

  it('the solver writes nothing to the console or standard output while it works', async () => {
    // Watched before the runtime loads: it binds its printer to console.log when it starts.
    const log = vi.spyOn(console, 'log');
    const out = vi.spyOn(process.stdout, 'write');
    try {
      const own = await loadSolver();
      const table = tableOf([3, 3], [2, 20, 30, 25, 6, 40, 35, 50, 7]);
      const result = await protectTable(table, { minCellSize: 5, measures: ['attendances', 'participants'], solver: own });
      expect(result.audit.passed).toBe(true);
      expect(log).not.toHaveBeenCalled();
      expect(out).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
      out.mockRestore();
    }
  });
});
