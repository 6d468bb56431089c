/**
 * A synchronous streaming text transformation: text goes in piece by piece and comes out rewritten,
 * with the same result whatever the pieces (a match split across two pieces is still found).
 */
export interface TextStage {
  /** Takes the next piece of text and returns what can be emitted now (possibly less than was given). */
  push(text: string): string;
  /** Returns whatever was held back; the stage is finished. */
  end(): string;
}

/** Runs text through stages in order (no stages: the text as it came). */
export function chainTextStages(stages: ReadonlyArray<TextStage>): TextStage {
  if (stages.length === 1) return stages[0]!;
  return {
    push(text) {
      let out = text;
      for (const stage of stages) out = stage.push(out);
      return out;
    },
    end() {
      let out = '';
      for (const stage of stages) out = stage.push(out) + stage.end();
      return out;
    },
  };
}
