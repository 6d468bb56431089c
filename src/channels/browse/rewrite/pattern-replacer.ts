import type { TextStage } from './text-stage.ts';

/**
 * A streaming regular-expression replacer whose output does not depend on how the text is cut.
 *
 * The pattern must be global, never match the empty string, match at most `maxMatch` characters, look at most `lookahead`
 * characters past a match and at most one character before it (a lookbehind). Each piece, the text
 * held back from before and the new piece are scanned together: a match (or a failure to match)
 * starting more than maxMatch + lookahead characters before the end is decided exactly as in one
 * pass over the whole text; anything later is held back, with one character of context before it.
 * The held-back tail is therefore at most maxMatch + lookahead characters: memory stays bounded.
 */
export function createPatternReplacer(
  pattern: RegExp,
  replace: (match: RegExpExecArray) => string,
  maxMatch: number,
  lookahead: number,
): TextStage {
  const window = maxMatch + lookahead;
  let held = '';
  /** Where the undecided text starts in `held` (0 at the very start, else 1: one character of context). */
  let from = 0;
  function run(text: string, final: boolean): string {
    const buffer = held + text;
    const safeEnd = final ? buffer.length : buffer.length - window + 1;
    if (safeEnd <= from) {
      held = buffer;
      return '';
    }
    let out = '';
    let emitted = from;
    pattern.lastIndex = from;
    for (let match = pattern.exec(buffer); match !== null && match.index < safeEnd; match = pattern.exec(buffer)) {
      out += buffer.slice(emitted, match.index) + replace(match);
      emitted = match.index + match[0].length;
    }
    const keepFrom = Math.max(emitted, safeEnd);
    out += buffer.slice(emitted, keepFrom);
    held = buffer.slice(keepFrom - 1);
    from = 1;
    return out;
  }
  return {
    push: (text) => run(text, false),
    end() {
      const out = run('', true);
      held = '';
      from = 0;
      return out;
    },
  };
}

/** Escapes text for use inside a regular expression. */
export function escapeForPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
