import type { ProtectionTable } from '../../src/channels/reports/protection/index.ts';

/** One person's attendances: the detailed cell (a value index per dimension) and how often. */
export interface Visit {
  readonly person: number;
  readonly at: ReadonlyArray<number>;
  readonly times: number;
}

/**
 * Builds a table with every margin from people's visits, the way the product counts: attendances
 * add up, participants are distinct in every cell and margin. `impossible` lists detailed
 * combinations that cannot occur (left out of the table: not cells).
 */
export function buildTestTable(sizes: ReadonlyArray<number>, visits: ReadonlyArray<Visit>, options: { totals?: boolean; impossible?: (at: ReadonlyArray<number>) => boolean } = {}): ProtectionTable {
  const n = sizes.length;
  const masks = options.totals === false ? [0] : Array.from({ length: 1 << n }, (_, m) => m);
  const cells: Array<{ values: Array<string | null>; attendances: number; participants: number; level: number }> = [];
  const index = new Map<string, number>();
  const detailed: Array<{ i: number; at: number[] }> = [];
  for (const mask of masks) {
    const walk = (d: number, at: number[]): void => {
      if (d === n) {
        if (mask === 0 && options.impossible?.(at)) return;
        const values = at.map((v, e) => ((mask >> e) & 1 ? null : `v${e}.${v}`));
        index.set(JSON.stringify(values), cells.length);
        if (mask === 0) detailed.push({ i: cells.length, at: [...at] });
        cells.push({ values, attendances: 0, participants: 0, level: values.filter((v) => v === null).length });
        return;
      }
      if ((mask >> d) & 1) walk(d + 1, [...at, 0]);
      else for (let v = 0; v < (sizes[d] ?? 0); v++) walk(d + 1, [...at, v]);
    };
    walk(0, []);
  }
  const seen = new Map<number, Set<number>>();
  for (const visit of visits) {
    if (options.impossible?.(visit.at)) continue;
    for (const mask of masks) {
      const key = JSON.stringify(visit.at.map((v, e) => ((mask >> e) & 1 ? null : `v${e}.${v}`)));
      const i = index.get(key);
      if (i === undefined) continue;
      const cell = cells[i];
      if (!cell) continue;
      cell.attendances += visit.times;
      let people = seen.get(i);
      if (!people) seen.set(i, (people = new Set()));
      if (!people.has(visit.person)) {
        people.add(visit.person);
        cell.participants += 1;
      }
    }
  }
  const sums = new Map<number, number[]>();
  for (const { i, at } of detailed) {
    for (const mask of masks) {
      if (mask === 0) continue;
      const total = index.get(JSON.stringify(at.map((v, e) => ((mask >> e) & 1 ? null : `v${e}.${v}`))));
      if (total === undefined) continue;
      let list = sums.get(total);
      if (!list) sums.set(total, (list = []));
      list.push(i);
    }
  }
  return { cells, sums };
}

/** A deterministic generator (mulberry32) for benchmark and example tables. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random visits: each person goes to 1..3 cells, 1..4 times each; some cells stay small. */
export function randomVisits(sizes: ReadonlyArray<number>, people: number, random: () => number): Visit[] {
  const visits: Visit[] = [];
  for (let p = 0; p < people; p++) {
    const places = 1 + Math.floor(random() * 3);
    for (let k = 0; k < places; k++) {
      // Skewed choice so that some cells are large and some small.
      const at = sizes.map((s) => Math.floor(Math.pow(random(), 1.7) * s));
      visits.push({ person: p, at, times: 1 + Math.floor(random() * 4) });
    }
  }
  return visits;
}
