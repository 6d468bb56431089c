import type { CompiledReport } from '../../contracts/compiled-contract.ts';

export type ReportNoise = NonNullable<CompiledReport['noise']>;

/** How a report's privacy budget is spent: the epsilon of each noised figure, and why. */
export interface NoisePlan {
  /** The whole budget, per person. */
  readonly epsilon: number;
  /**
   * The most one person can change the detailed table, summed over every figure (L1): each of
   * their at most `maxCellsPerPerson` cells by one participant, and their at most
   * `maxAttendancesPerPerson` attendances, for the measures the report publishes.
   */
  readonly sensitivity: number;
  /** The discrete Laplace parameter of every detailed figure: epsilon / sensitivity. */
  readonly epsilonPerFigure: number;
}

/**
 * Splits a per-person budget across every figure a person can affect. Only the detailed cells are
 * noised (margins are sums of the noisy cells, which costs nothing more), so a person's whole
 * effect is at most `sensitivity` units spread over the detailed figures, and noise of parameter
 * epsilon / sensitivity on each gives epsilon-differential privacy for the whole report.
 */
export function planNoise(noise: ReportNoise, measures: ReadonlyArray<'participants' | 'attendances'>): NoisePlan {
  let sensitivity = 0;
  if (measures.includes('participants')) sensitivity += noise.maxCellsPerPerson;
  if (measures.includes('attendances')) sensitivity += noise.maxAttendancesPerPerson;
  return { epsilon: noise.epsilon, sensitivity, epsilonPerFigure: noise.epsilon / sensitivity };
}
