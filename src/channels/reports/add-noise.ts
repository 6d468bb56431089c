import { drawDiscreteLaplace } from './discrete-laplace.ts';
import type { NoisePlan } from './plan-noise.ts';
import type { ReportCell, ReportTable } from './report-table.ts';

type Measure = 'participants' | 'attendances';

/**
 * The table as it will be published with noise: every detailed cell's figures get discrete
 * Laplace noise once (parameter plan.epsilonPerFigure, clamped at 0: post-processing), and every
 * margin is the sum of its noisy detailed cells, so the table adds up and a figure published twice
 * (a margin over a single value) is the same number. A measure the report does not publish takes
 * the published one's noisy value, so nothing downstream (suppression) ever looks at an exact count.
 * Participants in margins are therefore sums over cells (a person in two cells counts twice).
 */
export function addNoise(table: ReportTable, plan: NoisePlan, measures: ReadonlyArray<Measure>, uniform: () => number): ReportTable {
  const noisy = (n: number): number => Math.max(0, n + drawDiscreteLaplace(plan.epsilonPerFigure, uniform));
  const withParticipants = measures.includes('participants');
  const withAttendances = measures.includes('attendances');
  const cells: ReportCell[] = table.cells.map((cell) => {
    // Margins are set below, from their parts; they draw no noise.
    if (cell.level > 0) return cell;
    const participants = withParticipants ? noisy(cell.participants) : undefined;
    const attendances = withAttendances ? noisy(cell.attendances) : undefined;
    return { ...cell, participants: participants ?? (attendances as number), attendances: attendances ?? (participants as number) };
  });
  for (const [total, parts] of table.sums) {
    let participants = 0;
    let attendances = 0;
    for (const part of parts) {
      const cell = cells[part] as ReportCell;
      participants += cell.participants;
      attendances += cell.attendances;
    }
    cells[total] = { ...(cells[total] as ReportCell), participants, attendances };
  }
  return { dimensions: table.dimensions, cells, sums: table.sums };
}
