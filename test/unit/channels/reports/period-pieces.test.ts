import { describe, expect, it } from 'vitest';
import { findPiece, labelPiece, isPieceWithin, splitIntoPieces } from '../../../../src/channels/reports/period-pieces.ts';

const Q3 = { start: '2026-07-01', end: '2026-09-30' };
const month = (m: string, last: number) => ({ start: `2026-${m}-01`, end: `2026-${m}-${last}` });

describe('period pieces (the spans published tables inside a period cover)', () => {
  it.each([
    ['no table inside: the period is one piece', [], [Q3]],
    ['July and August published: July, August, and September as the rest', [month('07', 31), month('08', 31)], [month('07', 31), month('08', 31), month('09', 30)]],
    ['only August: July, August and September (a piece on each side)', [month('08', 31)], [month('07', 31), month('08', 31), month('09', 30)]],
    ['the period itself re-issued does not split it', [Q3, Q3], [Q3]],
    ['a table reaching outside the period does not split it', [{ start: '2026-01-01', end: '2026-12-31' }, { start: '2026-06-01', end: '2026-07-31' }], [Q3]],
    ['the last day of a piece and the first of the next meet without a gap across a leap February', [{ start: '2028-02-01', end: '2028-02-29' }], [{ start: '2028-01-01', end: '2028-01-31' }, { start: '2028-02-01', end: '2028-02-29' }, { start: '2028-03-01', end: '2028-03-31' }]],
  ])('%s', (_why, inside, expected) => {
    const period = expected.length > 0 && expected[0]?.start.startsWith('2028') ? { start: '2028-01-01', end: '2028-03-31' } : Q3;
    expect(splitIntoPieces(period, inside)).toEqual(expected);
  });

  it('finds the piece of a day, and refuses a day outside every piece', () => {
    const pieces = splitIntoPieces(Q3, [month('08', 31)]);
    expect(findPiece(pieces, '2026-08-31')).toBe('2026-08-01..2026-08-31');
    expect(findPiece(pieces, '2026-09-01')).toBe(labelPiece(month('09', 30)));
    expect(() => findPiece(pieces, '2026-10-01')).toThrow(/outside the report period/);
  });

  it('a piece lies within a span when both its days do', () => {
    expect(isPieceWithin(month('08', 31), Q3)).toBe(true);
    expect(isPieceWithin(Q3, month('08', 31))).toBe(false);
  });
});
