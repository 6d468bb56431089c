/** A span of days (YYYY-MM-DD, both inclusive). */
export interface DaySpan {
  readonly start: string;
  readonly end: string;
}

/** The day after a YYYY-MM-DD date. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Splits a report's period into the pieces that published tables inside it cover: every first
 * day and every day after a last day of those spans starts a new piece (July, August and the rest
 * of the quarter when July and August were published). Spans that reach outside the period do not
 * split it. The pieces cover the period, in order, without overlap. Pure.
 */
export function splitIntoPieces(period: DaySpan, inside: ReadonlyArray<DaySpan>): DaySpan[] {
  const starts = new Set<string>([period.start]);
  for (const span of inside) {
    if (span.start < period.start || span.end > period.end) continue;
    starts.add(span.start);
    if (span.end < period.end) starts.add(nextDay(span.end));
  }
  const ordered = [...starts].sort();
  return ordered.map((start, i) => {
    const next = ordered[i + 1];
    if (next === undefined) return { start, end: period.end };
    const end = new Date(`${next}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() - 1);
    return { start, end: end.toISOString().slice(0, 10) };
  });
}

/** The label of a piece, as a value of the joint model's period dimension (2026-07-01..2026-07-31). */
export function labelPiece(piece: DaySpan): string {
  return `${piece.start}..${piece.end}`;
}

/** The piece (its label) a day falls in; the pieces must cover it. */
export function findPiece(pieces: ReadonlyArray<DaySpan>, date: string): string {
  for (const piece of pieces) if (date >= piece.start && date <= piece.end) return labelPiece(piece);
  throw new Error('a day outside the report period was counted');
}

/** Whether a piece lies within a span. */
export function isPieceWithin(piece: DaySpan, span: DaySpan): boolean {
  return piece.start >= span.start && piece.end <= span.end;
}

/** The smallest span covering a period and every given span. */
export function coverSpan(period: DaySpan, spans: ReadonlyArray<DaySpan>): DaySpan {
  let { start, end } = period;
  for (const span of spans) {
    if (span.start < start) start = span.start;
    if (span.end > end) end = span.end;
  }
  return { start, end };
}
