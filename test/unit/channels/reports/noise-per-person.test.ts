import { describe, expect, it } from 'vitest';
import { produceGrantReport, type GrantReport } from '../../../../src/channels/reports/produce-report.ts';
import { renderReportHtml, renderReportJson, renderReportSummary } from '../../../../src/channels/reports/render-report.ts';
import { compileContractText } from '../../../../src/contracts/load-contracts.ts';
import { createTestKeys } from '../../../helpers/contracts.ts';
import { csvStream, grantContract } from '../../../helpers/report-fixtures.ts';
import { scriptedUniform, seededUniform } from '../../../helpers/seeded-uniform.ts';

const keys = createTestKeys();
const NOW = new Date('2026-12-31T12:00:00Z');
const NOISE = (epsilon: number, attendances: number, cells: number): string => `noise: { mechanism: discrete-laplace, epsilon: ${epsilon}, maxAttendancesPerPerson: ${attendances}, maxCellsPerPerson: ${cells} }`;
const grant = (measures: string, noise: string, totals = true): ReturnType<typeof grantContract> =>
  grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }], measures: [${measures}], minCellSize: 5, totals: ${totals}, ${noise} }`);

const BRANCHES = ['east', 'main'];
const PROGRAMS = ['chess', 'craft', 'lego'];
/** `n` people in every branch x programme, once each. */
const everyCell = (n: number): string[] => BRANCHES.flatMap((b) => PROGRAMS.flatMap((p) => Array.from({ length: n }, (_, i) => `${b}-${p}-${i},${b},${p},2026-07-01`)));
/** Ten people a cell: every cell above k. */
const BASE = everyCell(10);
/** Two hundred a cell: far above k and the noise, so that nothing is suppressed. */
const LARGE = everyCell(200);
const csv = (rows: ReadonlyArray<string>): string => ['patronId,branch,program,date', ...rows].join('\n');
const days = (n: number): string[] => Array.from({ length: n }, (_, d) => `2026-07-${String(d + 1).padStart(2, '0')}`);

/** The detailed figures of a report, by cell and measure. */
function detailed(report: GrantReport): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of report.rows) if (!row.total) for (const [m, v] of Object.entries(row.counts)) out.set(`${row.values.join('/')}/${m}`, v ?? Number.NaN);
  return out;
}

describe('epsilon is per person: contributions are bounded and the budget is split across every figure a person affects', () => {
  // The heavy patron: 30 attendances, as the issue found (a privacy loss of ~220 at a stated epsilon of 1).
  it.each([
    ['30 attendances in one cell: counted up to the attendance bound, in one cell', days(30).map((d) => `heavy,main,lego,${d}`), 8, 1],
    ['30 attendances over all six cells: at most 3 cells and 8 attendances count', days(30).map((d, i) => `heavy,${BRANCHES[i % 2]},${PROGRAMS[i % 3]},${d}`), 8, 3],
    ['2 attendances in 2 cells: under both bounds, counted whole', ['heavy,main,lego,2026-07-02', 'heavy,east,chess,2026-07-03'], 2, 2],
  ])('%s', async (_why, heavy, attendanceChange, cellChange) => {
    const contract = grant('participants, attendances', NOISE(1, 8, 3));
    // A uniform of 1 draws noise 0: the figures are the bounded counts, so neighbouring tables can be compared exactly.
    const zero = { pseudonyms: keys, now: NOW, uniform: () => 1 };
    const without = await produceGrantReport(csvStream(csv(BASE)), contract, zero);
    const withHeavy = await produceGrantReport(csvStream(csv([...BASE, ...heavy])), contract, zero);
    const a = detailed(without);
    const b = detailed(withHeavy);
    let participants = 0;
    let attendances = 0;
    for (const [key, value] of a) {
      const change = Math.abs((b.get(key) ?? 0) - value);
      if (key.endsWith('/participants')) participants += change;
      else attendances += change;
    }
    expect(participants).toBe(cellChange);
    expect(attendances).toBe(attendanceChange);
    // The privacy loss the heavy patron costs: the sum over every figure of |change| x that figure's epsilon.
    const perFigure = withHeavy.noise?.epsilonPerFigure ?? Number.POSITIVE_INFINITY;
    expect(perFigure).toBe(1 / (8 + 3));
    expect((participants + attendances) * perFigure).toBeLessThanOrEqual(1 + 1e-12);
  });

  it.each([
    ['participants only: the sensitivity is the cells bound', 'participants', 2 / 4],
    ['attendances only: the sensitivity is the attendances bound', 'attendances', 2 / 10],
    ['both measures: the sum of both bounds', 'participants, attendances', 2 / 14],
  ])('%s', async (_why, measures, perFigure) => {
    const report = await produceGrantReport(csvStream(csv(BASE)), grant(measures, NOISE(2, 10, 4)), { pseudonyms: keys, now: NOW, uniform: seededUniform('split') });
    expect(report.noise).toEqual({ mechanism: 'discrete-laplace', epsilon: 2, maxAttendancesPerPerson: 10, maxCellsPerPerson: 4, epsilonPerFigure: perFigure });
  });
});

describe('noisy tables add up', () => {
  it.each(['a', 'b', 'c', 'd'])('every margin is the sum of its noisy detailed cells, both measures (seed %s)', async (seed) => {
    const report = await produceGrantReport(csvStream(csv(LARGE)), grant('participants, attendances', NOISE(0.5, 4, 2)), { pseudonyms: keys, now: NOW, uniform: seededUniform(seed) });
    // The noise did move the figures (the sums below are not the exact ones).
    expect(report.rows.filter((r) => !r.total).some((r) => r.counts['participants'] !== 200)).toBe(true);
    const cells = report.rows.filter((r) => !r.total);
    let checked = 0;
    for (const margin of report.rows.filter((r) => r.total)) {
      const parts = cells.filter((c) => c.values.every((v, d) => margin.values[d] === null || margin.values[d] === v));
      for (const m of ['participants', 'attendances']) {
        const values = parts.map((p) => p.counts[m]);
        if (margin.counts[m] === null || values.includes(null)) continue;
        expect(margin.counts[m]).toBe(values.reduce<number>((s, v) => s + (v ?? 0), 0));
        checked += 1;
      }
    }
    // 2 branch margins, 3 programme margins and the grand total, two measures: all published here.
    expect(checked).toBe(12);
  });

  it('a figure published twice (a margin over a dimension with one value) is the same number', async () => {
    const oneBranch = LARGE.filter((r) => r.includes(',main,'));
    const report = await produceGrantReport(csvStream(csv(oneBranch)), grant('participants', NOISE(0.5, 4, 2)), { pseudonyms: keys, now: NOW, uniform: seededUniform('twice') });
    for (const program of PROGRAMS) {
      const cell = report.rows.find((r) => r.values[0] === 'main' && r.values[1] === program);
      const margin = report.rows.find((r) => r.values[0] === null && r.values[1] === program);
      expect(margin?.counts['participants']).toBe(cell?.counts['participants']);
    }
  });
});

describe('suppression is decided on the noisy counts', () => {
  // One dimension, participants only, no totals: draws go east then main, two uniforms a figure.
  // A uniform of q^(j + 1/2) makes a geometric draw of j; the noise is the first draw minus the second.
  const contract = grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants], minCellSize: 5, totals: false, ${NOISE(1, 1, 1)} }`);
  const q = Math.exp(-1);
  const input = csv([...Array.from({ length: 6 }, (_, i) => `e${i},east,craft,2026-07-01`), ...Array.from({ length: 3 }, (_, i) => `m${i},main,craft,2026-07-01`)]);

  it('a true 6 drawn down to 3 is suppressed, and a true 3 drawn up to 8 is published as 8 (the threshold never sees the exact count)', async () => {
    const report = await produceGrantReport(csvStream(input), contract, { pseudonyms: keys, now: NOW, uniform: scriptedUniform([1, q ** 3.5, q ** 5.5, 1]) });
    expect(report.rows.map((r) => [r.values[0], r.counts['participants']])).toEqual([
      ['east', null],
      ['main', 8],
    ]);
  });

  it('with attendances only, a true 3 drawn up to 8 is published: the exact participants (3) never decide suppression', async () => {
    const attendancesOnly = grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }], measures: [attendances], minCellSize: 5, totals: false, ${NOISE(1, 1, 1)} }`);
    const report = await produceGrantReport(csvStream(input), attendancesOnly, { pseudonyms: keys, now: NOW, uniform: scriptedUniform([1, q ** 3.5, q ** 5.5, 1]) });
    expect(report.rows.map((r) => [r.values[0], r.counts['attendances']])).toEqual([
      ['east', null],
      ['main', 8],
    ]);
  });

  it('noise below zero publishes 0, never a negative count', async () => {
    const report = await produceGrantReport(csvStream(input), contract, { pseudonyms: keys, now: NOW, uniform: scriptedUniform([1, q ** 9.5, 1, q ** 9.5]) });
    expect(report.rows.map((r) => r.counts['participants'])).toEqual([0, 0]);
  });
});

describe('the output states epsilon per person and the bounds', () => {
  it.each([
    ['summary', renderReportSummary, /epsilon 1 per person \(each person counts for at most 8 attendance\(s\) in at most 3 cell\(s\)/],
    ['HTML', renderReportHtml, /epsilon 1 per person/],
    ['JSON', renderReportJson, /"maxAttendancesPerPerson": 8,\s+"maxCellsPerPerson": 3,\s+"epsilonPerFigure"/],
  ] as const)('%s', async (_format, render, statement) => {
    const report = await produceGrantReport(csvStream(csv(BASE)), grant('participants, attendances', NOISE(1, 8, 3)), { pseudonyms: keys, now: NOW, uniform: seededUniform('state') });
    expect(render(report)).toMatch(statement);
  });
});

describe('report.noise is validated with the file, the dotted path and a fix', () => {
  const compile = (noise: string) =>
    compileContractText(
      'vendors/test-grant.yaml',
      `id: test-grant\nname: Test Grant\nkind: grant\npurpose: Testing reports\ncontract: { reference: G-1, effective: 2026-01-01, expires: 2027-12-31 }\nupstream: { url: "http://127.0.0.1:9", hosts: [127.0.0.1] }\nidentity: { delivery: none }\nreport: { dimensions: [{ name: branch, from: branch, generalize: none }], measures: [participants], ${noise} }`,
      { signingKeyConfigured: true },
    ).problems;
  it.each([
    ['without the attendance bound (epsilon per person needs it)', 'noise: { mechanism: discrete-laplace, epsilon: 1, maxCellsPerPerson: 2 }', 'report.noise.maxAttendancesPerPerson'],
    ['without the cells bound', 'noise: { mechanism: discrete-laplace, epsilon: 1, maxAttendancesPerPerson: 2 }', 'report.noise.maxCellsPerPerson'],
    ['a bound of 0 (nobody could count)', NOISE(1, 0, 1), 'report.noise.maxAttendancesPerPerson'],
    ['a fractional bound', NOISE(1, 2.5, 1), 'report.noise.maxAttendancesPerPerson'],
    ['more cells than attendances (each cell takes an attendance)', NOISE(1, 2, 3), 'report.noise.maxCellsPerPerson'],
    ['an epsilon of 0', NOISE(0, 2, 1), 'report.noise.epsilon'],
  ])('%s', (_why, noise, path) => {
    const problems = compile(noise);
    const problem = problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(problems)).toMatchObject({ file: 'vendors/test-grant.yaml' });
    expect(problem?.message.length).toBeGreaterThan(5);
    expect(problem?.fix.length).toBeGreaterThan(5);
  });

  it('accepts sound bounds', () => {
    expect(compile(NOISE(1, 20, 4))).toEqual([]);
  });
});
