import type { TextStage } from '../../../../../src/channels/browse/rewrite/text-stage.ts';

/** Feeds the pieces through a stage and returns all it emitted. */
export function runStage(stage: TextStage, pieces: ReadonlyArray<string>): string {
  let out = '';
  for (const piece of pieces) out += stage.push(piece);
  return out + stage.end();
}

/** Cuts text at the given offsets. */
export function cutText(text: string, offsets: ReadonlyArray<number>): string[] {
  const points = [...new Set(offsets.map((o) => o % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(text.slice(start, point));
    start = point;
  }
  pieces.push(text.slice(start));
  return pieces;
}
