/**
 * Counts participation as rows are read, keeping only what the table needs: attendances per
 * combination of (already generalized) dimension values, and for each person (by a number derived
 * from their pseudonym, never their id) the combinations they appear in, so distinct people can
 * be counted in every cell and total. Bounded by people and cells, not by rows.
 */
export class ParticipationTally {
  readonly dictionaries: Array<Map<string, number>>;
  readonly attendances = new Map<string, number>();
  readonly people = new Map<number, Set<string>>();
  rows = 0;
  readonly dimensionCount: number;

  constructor(dimensionCount: number) {
    this.dimensionCount = dimensionCount;
    this.dictionaries = Array.from({ length: dimensionCount }, () => new Map<string, number>());
  }

  add(values: ReadonlyArray<string>, person: number | undefined): void {
    let key = '';
    for (let d = 0; d < this.dimensionCount; d++) {
      const dictionary = this.dictionaries[d] as Map<string, number>;
      const value = values[d] as string;
      let index = dictionary.get(value);
      if (index === undefined) {
        index = dictionary.size;
        dictionary.set(value, index);
      }
      key = d === 0 ? String(index) : `${key},${index}`;
    }
    this.attendances.set(key, (this.attendances.get(key) ?? 0) + 1);
    if (person !== undefined) {
      let cells = this.people.get(person);
      if (!cells) {
        cells = new Set();
        this.people.set(person, cells);
      }
      cells.add(key);
    }
    this.rows += 1;
  }

  /** The observed values of one dimension, by index. */
  valuesOf(dimension: number): string[] {
    return [...(this.dictionaries[dimension] ?? new Map<string, number>()).keys()];
  }

  /**
   * The same tally without its last dimension (a period piece of a linked report): attendances
   * summed, each person's combinations merged; with `keep`, only the combinations whose last value
   * it accepts (the rows inside the report's period), and only the values they use.
   */
  withoutLastDimension(keep: (value: string) => boolean = () => true): ParticipationTally {
    const tally = new ParticipationTally(this.dimensionCount - 1);
    const names = this.dictionaries.map((dictionary) => [...dictionary.keys()]);
    const last = names[this.dimensionCount - 1] ?? [];
    const converted = new Map<string, string | undefined>();
    const convert = (key: string): string | undefined => {
      if (converted.has(key)) return converted.get(key);
      const indices = key.split(',');
      let result: string | undefined;
      if (keep(last[Number(indices[indices.length - 1])] ?? '')) {
        result = indices
          .slice(0, -1)
          .map((index, d) => {
            const dictionary = tally.dictionaries[d] as Map<string, number>;
            const value = names[d]?.[Number(index)] ?? '';
            let at = dictionary.get(value);
            if (at === undefined) dictionary.set(value, (at = dictionary.size));
            return String(at);
          })
          .join(',');
      }
      converted.set(key, result);
      return result;
    };
    for (const [key, count] of this.attendances) {
      const short = convert(key);
      if (short !== undefined) tally.attendances.set(short, (tally.attendances.get(short) ?? 0) + count);
    }
    for (const [person, keys] of this.people) {
      const kept = new Set<string>();
      for (const key of keys) {
        const short = convert(key);
        if (short !== undefined) kept.add(short);
      }
      if (kept.size > 0) tally.people.set(person, kept);
    }
    tally.rows = this.rows;
    return tally;
  }
}
