/**
 * "Did you mean": the closest of `candidates` to a misspelt `input`, or undefined when none is
 * close enough to be a likely typo. Case and separators are ignored (`birthdate`, `birth_date`
 * and `birthDate` are one name), a dotted candidate also matches on its last part
 * (`postalCode` finds `address.postalCode`), and up to one edit in three characters is allowed
 * (a transposition counts as one edit).
 */
export function suggestName(input: string, candidates: Iterable<string>): string | undefined {
  const wanted = normalize(input);
  if (wanted === '') return undefined;
  const budget = Math.max(1, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const whole = normalize(candidate);
    const last = normalize(candidate.split('.').pop() ?? candidate);
    const distance = Math.min(measureEditDistance(wanted, whole), measureEditDistance(wanted, last));
    if (distance <= budget && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** `did you mean "x"? Otherwise ` for the start of a fix, or '' when nothing is close. */
export function describeSuggestion(input: string, candidates: Iterable<string>): string {
  const suggestion = suggestName(input, candidates);
  return suggestion === undefined ? '' : `did you mean "${suggestion}"? Otherwise `;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
function measureEditDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((d[(i - 1) * cols + j] ?? 0) + 1, (d[i * cols + j - 1] ?? 0) + 1, (d[(i - 1) * cols + j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (d[(i - 2) * cols + j - 2] ?? 0) + 1);
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1] ?? 0;
}
