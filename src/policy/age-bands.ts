/** An age band: inclusive lower and upper bounds (upper Infinity for `65+`) and its label. */
export interface AgeBand {
  readonly min: number;
  readonly max: number;
  readonly label: string;
}

export const DEFAULT_AGE_BANDS: ReadonlyArray<string> = ['0-5', '6-11', '12-17', '18-64', '65+'];

/**
 * Parses band labels (`"0-5"`, `"65+"`) into bands, or returns what is wrong with them: bands
 * must start at 0, follow each other without gaps or overlaps, and end with an open band (`N+`),
 * so that every age falls in exactly one band.
 */
export function parseAgeBands(labels: ReadonlyArray<string>): { bands: AgeBand[] } | { error: string } {
  const bands: AgeBand[] = [];
  let expected = 0;
  for (const [index, label] of labels.entries()) {
    const closed = /^(\d{1,3})-(\d{1,3})$/.exec(label);
    const open = /^(\d{1,3})\+$/.exec(label);
    const last = index === labels.length - 1;
    if (open) {
      if (!last) return { error: `band "${label}" is open-ended but is not the last band` };
      const min = Number(open[1]);
      if (min !== expected) return { error: `band "${label}" should start at ${expected}` };
      bands.push({ min, max: Number.POSITIVE_INFINITY, label });
    } else if (closed) {
      const min = Number(closed[1]);
      const max = Number(closed[2]);
      if (min !== expected) return { error: `band "${label}" should start at ${expected}` };
      if (max < min) return { error: `band "${label}" ends before it starts` };
      if (last) return { error: `the last band "${label}" must be open-ended, such as "${max + 1}+"` };
      bands.push({ min, max, label });
      expected = max + 1;
    } else {
      return { error: `band "${label}" is not written as "N-M" or "N+"` };
    }
  }
  return { bands };
}

/** The label of the band an age falls in. Bands from parseAgeBands cover every age. */
export function findAgeBand(bands: ReadonlyArray<AgeBand>, age: number): string | undefined {
  for (const band of bands) if (age >= band.min && age <= band.max) return band.label;
  return undefined;
}
