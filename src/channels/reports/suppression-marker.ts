/**
 * How a report marks a figure it does not publish. One marker for every suppressed figure, whatever
 * the reason (a small count, or a neighbour that would give one away): a marker that told the two
 * apart, or that claimed "below k", would hand a reader equations the figure does not satisfy.
 */
export const SUPPRESSED_MARKER = 'x';

/** The footnote every format carries: what the marker means and how many figures carry it. */
export function describeSuppression(suppressed: number, figures: number): string {
  return `${SUPPRESSED_MARKER}: figure not published to protect small groups (${suppressed} of ${figures} figures)`;
}

/** The label of a margin row in the row-kind column: which dimensions it sums over. */
export function describeRowKind(summedOver: ReadonlyArray<string>): string {
  return summedOver.length === 0 ? 'cell' : `total over ${summedOver.join(' + ')}`;
}

/** The header of the column that tells cells from margins (a dimension may not take this name). */
export const ROW_KIND_COLUMN = 'row';
