import type { Highs } from 'highs';
import { ReportInputError } from '../report-error.ts';

/** The plain-data types of table protection (see index.ts for the interface). */
export type ProtectedMeasure = 'participants' | 'attendances';

export interface ProtectionCell {
  readonly values: ReadonlyArray<string | null>;
  readonly attendances: number;
  readonly participants: number;
  readonly level: number;
  /**
   * Not published by this report: an unknown of a joint model (a period piece of a linked report,
   * or an earlier report's figure). The attacker sees it only through the relations and the
   * priorTables; it is never suppressed (it is not shown), and it costs nothing to move.
   */
  readonly hidden?: boolean;
  /** false: no sensitive quantity is taken from this cell (an earlier figure that was published). Default true. */
  readonly audited?: boolean;
  /**
   * Its direct parts, given instead of found from `values` (a figure of an earlier report over a
   * span of period pieces); such a cell's `values` are a label, not part of the table's lattice.
   */
  readonly parts?: ReadonlyArray<number>;
}

export interface ProtectionTable {
  readonly cells: ReadonlyArray<ProtectionCell>;
  /** For each margin (by index into cells), the detailed cells it sums. */
  readonly sums: ReadonlyMap<number, ReadonlyArray<number>> | ReadonlyArray<readonly [number, ReadonlyArray<number>]>;
}

/** A figure published earlier, as a known sum of this table's detailed cells (release ledger). */
export interface PublishedFigure {
  readonly cells: ReadonlyArray<number>;
  readonly measure: ProtectedMeasure;
  readonly value: number;
}

export interface PublishedTable {
  readonly figures: ReadonlyArray<PublishedFigure>;
}

export interface ProtectionLevels {
  /** How far below its true value the attacker's interval must reach (clipped at 0). */
  readonly lower: number;
  /** How far above its true value the attacker's interval must reach. */
  readonly upper: number;
}

export type SuppressionCost = 'cells' | 'people';

export interface ProtectionOptions {
  readonly minCellSize: number;
  readonly protection?: ProtectionLevels;
  readonly suppressionCost?: SuppressionCost;
  /** The measures the report publishes (the others are unknown to the attacker). */
  readonly measures: ReadonlyArray<ProtectedMeasure>;
  /** Dimensions (by index) whose zeros are protected when their group is not empty. */
  readonly sensitiveDimensions?: ReadonlyArray<number>;
  readonly priorTables?: ReadonlyArray<PublishedTable>;
  /**
   * The table's figures are noisy (detailed cells noised, margins summed from them): participants
   * then add up like attendances, and the per-cell relations between the two measures (which hold
   * for true counts only) are not assumed.
   */
  readonly noisy?: boolean;
  /** A loaded HiGHS runtime to reuse; loaded on demand otherwise. */
  readonly solver?: Highs;
  /** Told once, when the audit of the chosen pattern starts (for progress in the console). */
  readonly onAuditing?: () => void;
}

/** A quantity that must keep its protection: a linear form over (cell, measure) figures. */
export interface SensitiveForm {
  readonly kind: 'small-cell' | 'implied-group' | 'sensitive-zero';
  readonly terms: ReadonlyArray<{ readonly cell: number; readonly measure: ProtectedMeasure; readonly coefficient: number }>;
  /** Its true value. */
  readonly value: number;
}

export interface FormAudit {
  readonly form: SensitiveForm;
  /** The tightest interval the attacker can prove (integers; Infinity when unbounded above). */
  readonly min: number;
  readonly max: number;
  readonly protected: boolean;
}

export interface ProtectionAudit {
  readonly passed: boolean;
  readonly forms: ReadonlyArray<FormAudit>;
}

export interface ProtectionResult {
  /** Indices of the cells to suppress (both measures), ascending. */
  readonly suppressed: ReadonlyArray<number>;
  /** Cells suppressed because they are small (1..k-1 in a published measure). */
  readonly primary: number;
  readonly audit: ProtectionAudit;
}

export const DEFAULT_PROTECTION: ProtectionLevels = Object.freeze({ lower: 1, upper: 1 });

/** A report whose table cannot be protected: it must not be published. */
export class ReportProtectionError extends ReportInputError {
  readonly code = 'report_unprotectable';
  constructor(message: string) {
    super(message);
    this.name = 'ReportProtectionError';
  }
}

