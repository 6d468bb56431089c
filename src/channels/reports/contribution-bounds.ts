/**
 * Bounds what one person contributes to a noisy report, as rows are read, in file order: at most
 * `maxAttendances` attendances in all, in at most `maxCells` different detailed cells. Rows past
 * either bound are not counted (so one heavy user cannot outweigh the noise). Keeps, per person,
 * the cells they touch (at most `maxCells`) and a count.
 */
export class ContributionBounds {
  private readonly maxAttendances: number;
  private readonly maxCells: number;
  private readonly byPerson = new Map<number, { attendances: number; cells: Set<string> }>();
  /** Rows left out by the bounds (for the operator; not published: it is about people). */
  dropped = 0;

  constructor(bounds: { maxAttendances: number; maxCells: number }) {
    this.maxAttendances = bounds.maxAttendances;
    this.maxCells = bounds.maxCells;
  }

  /** True when this attendance of this person in this cell is within the bounds (and counts it). */
  admit(person: number, cell: string): boolean {
    let entry = this.byPerson.get(person);
    if (!entry) this.byPerson.set(person, (entry = { attendances: 0, cells: new Set() }));
    const newCell = !entry.cells.has(cell);
    if (entry.attendances >= this.maxAttendances || (newCell && entry.cells.size >= this.maxCells)) {
      this.dropped += 1;
      return false;
    }
    entry.attendances += 1;
    entry.cells.add(cell);
    return true;
  }
}
