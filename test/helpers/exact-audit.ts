/**
 * An independent disclosure audit, written apart from the gateway's own: exact rational arithmetic
 * (BigInt fractions) and a rank test. Published totals are equations over the table's cells; a
 * suppressed cell j is exposed when adding its unit vector e_j to the equations (restricted to the
 * suppressed cells) does not raise their rank, i.e. e_j lies in their row space.
 */
type Fraction = [bigint, bigint];

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y) [x, y] = [y, x % y];
  return x;
}
function make(n: bigint, d: bigint): Fraction {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return [n / g, d / g];
}
const sub = (a: Fraction, b: Fraction): Fraction => make(a[0] * b[1] - b[0] * a[1], a[1] * b[1]);
const mul = (a: Fraction, b: Fraction): Fraction => make(a[0] * b[0], a[1] * b[1]);
const div = (a: Fraction, b: Fraction): Fraction => make(a[0] * b[1], a[1] * b[0]);

function rank(rows: Fraction[][]): number {
  const m = rows.map((r) => r.slice());
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    let p = r;
    while (p < m.length && (m[p]?.[c]?.[0] ?? 0n) === 0n) p++;
    if (p === m.length) continue;
    [m[r], m[p]] = [m[p] as Fraction[], m[r] as Fraction[]];
    const pivotRow = m[r] as Fraction[];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const row = m[i] as Fraction[];
      if ((row[c]?.[0] ?? 0n) === 0n) continue;
      const f = div(row[c] as Fraction, pivotRow[c] as Fraction);
      for (let k = c; k < cols; k++) row[k] = sub(row[k] as Fraction, mul(f, pivotRow[k] as Fraction));
    }
    r++;
  }
  return r;
}

/** The suppressed cells that published figures determine exactly. */
export function auditExposure(equations: ReadonlyArray<{ total: number; parts: ReadonlyArray<number> }>, suppressed: ReadonlyArray<number>): number[] {
  const column = new Map(suppressed.map((cell, i) => [cell, i]));
  const rows: Fraction[][] = [];
  for (const { total, parts } of equations) {
    const row: Fraction[] = suppressed.map(() => [0n, 1n]);
    let any = false;
    const bump = (cell: number, by: bigint): void => {
      const c = column.get(cell);
      if (c === undefined) return;
      const current = row[c] as Fraction;
      row[c] = make(current[0] + by * current[1], current[1]);
      any = true;
    };
    bump(total, -1n);
    for (const part of parts) bump(part, 1n);
    if (any) rows.push(row);
  }
  const base = rank(rows);
  return suppressed.filter((_, j) => {
    const unit: Fraction[] = suppressed.map((__, k) => (k === j ? [1n, 1n] : [0n, 1n]));
    return rank([...rows, unit]) === base;
  });
}
