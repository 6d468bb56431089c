/**
 * One thing wrong with a settings or contract file. Startup collects every problem before it
 * reports, so staff fix a file in one pass instead of one error per run.
 */
export interface Problem {
  /** The file, as given (relative paths stay relative). */
  readonly file: string;
  /** Dotted path inside the file (`fields.birthDate.to`); empty for the whole file. */
  readonly path: string;
  /** What is wrong, in words a librarian can act on. Never contains patron values. */
  readonly message: string;
  /** How to fix it, naming the valid choices where there are some. */
  readonly fix: string;
}

/** `file: path: message. Fix: fix` on one line. */
export function formatProblem(problem: Problem): string {
  const where = problem.path === '' ? problem.file : `${problem.file}: ${problem.path}`;
  return `${where}: ${problem.message}. Fix: ${problem.fix}`;
}

/** Joins path segments the way staff read them: `fields.address.postalCode.to`, `report.dimensions[1].from`. */
export function joinPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** A list of choices for a message: `"a", "b" or "c"`. */
export function listChoices(choices: ReadonlyArray<string>): string {
  const quoted = choices.map((c) => `"${c}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
