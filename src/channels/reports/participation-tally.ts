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
   * The same tally without its last dimension (the period piece of a linked report): attendances
   * summed, each person's combinations merged. The order of values does not matter (tables sort them).
   */
  withoutLastDimension(): ParticipationTally {
    const tally = new ParticipationTally(this.dimensionCount - 1);
    this.dictionaries.slice(0, -1).forEach((dictionary, d) => {
      for (const [value, index] of dictionary) tally.dictionaries[d]?.set(value, index);
    });
    const shorten = (key: string): string => key.slice(0, Math.max(0, key.lastIndexOf(',')));
    for (const [key, count] of this.attendances) {
      const short = shorten(key);
      tally.attendances.set(short, (tally.attendances.get(short) ?? 0) + count);
    }
    for (const [person, keys] of this.people) tally.people.set(person, new Set([...keys].map(shorten)));
    tally.rows = this.rows;
    return tally;
  }
}
