import { FingerprintMap } from './fingerprint-map.ts';
import { FingerprintSet } from './fingerprint-set.ts';

/** A (person, cell) pair is stored as person * CELL_SPAN + cell, below 2^53. */
const CELL_SPAN = 2 ** 24;
const PERSON_LIMIT = 2 ** 29;

/**
 * Counts participation as rows are read, keeping only what the table needs: attendances per
 * combination of (already generalized) dimension values, and for each person (by a number derived
 * from their pseudonym, never their id) the combinations they appear in, so distinct people can
 * be counted in every cell and total. Bounded by people and cells, not by rows: each person
 * takes 16 to 32 bytes and each distinct (person, cell) pair 8 to 16, in flat arrays outside the
 * JavaScript heap.
 */
export class ParticipationTally {
  readonly dictionaries: Array<Map<string, number>>;
  /** Attendances by cell key (the dictionary index of each value, comma-separated). */
  readonly attendances = new Map<string, number>();
  private readonly cellIds = new Map<string, number>();
  private readonly cellKeys: string[] = [];
  private readonly personIds = new FingerprintMap();
  private readonly pairs = new FingerprintSet();
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
    let cell = this.cellIds.get(key);
    if (cell === undefined) {
      cell = this.cellKeys.length;
      if (cell >= CELL_SPAN) throw new RangeError('too many cells in one report');
      this.cellIds.set(key, cell);
      this.cellKeys.push(key);
      this.attendances.set(key, 0);
    }
    this.attendances.set(key, (this.attendances.get(key) as number) + 1);
    if (person !== undefined) {
      let id = this.personIds.get(person);
      if (id === undefined) {
        id = this.personIds.size;
        if (id >= PERSON_LIMIT) throw new RangeError('too many people in one report');
        this.personIds.add(person, id);
      }
      this.pairs.add(id * CELL_SPAN + cell);
    }
    this.rows += 1;
  }

  /** How many distinct people were counted. */
  get peopleCount(): number {
    return this.personIds.size;
  }

  /** For each person (in no meaningful order), the keys of the cells they appear in. */
  *cellsByPerson(): Generator<string[]> {
    const pairs = this.pairs.toSortedArray();
    let current = -1;
    let cells: string[] = [];
    for (const pair of pairs) {
      const person = Math.floor(pair / CELL_SPAN);
      if (person !== current) {
        if (cells.length > 0) yield cells;
        current = person;
        cells = [];
      }
      cells.push(this.cellKeys[pair - person * CELL_SPAN] as string);
    }
    if (cells.length > 0) yield cells;
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
    // The shorter tally's cells: every converted combination, in the order first met.
    const cellOf = (short: string): number => {
      let cell = tally.cellIds.get(short);
      if (cell === undefined) {
        cell = tally.cellKeys.length;
        tally.cellIds.set(short, cell);
        tally.cellKeys.push(short);
      }
      return cell;
    };
    for (const [key, count] of this.attendances) {
      const short = convert(key);
      if (short === undefined) continue;
      cellOf(short);
      tally.attendances.set(short, (tally.attendances.get(short) ?? 0) + count);
    }
    // Each person's combinations merged: the (person, cell) pairs carried over, duplicates dropped.
    for (const pair of this.pairs.toSortedArray()) {
      const person = Math.floor(pair / CELL_SPAN);
      const short = convert(this.cellKeys[pair - person * CELL_SPAN] as string);
      if (short === undefined) continue;
      if (tally.personIds.get(person) === undefined) tally.personIds.add(person, person);
      tally.pairs.add(person * CELL_SPAN + cellOf(short));
    }
    tally.rows = this.rows;
    return tally;
  }
}
