/**
 * Age in whole years on the UTC calendar day of `now`. A 29 February birthday counts from 1 March
 * in common years. Returns undefined for anything that is not a real YYYY-MM-DD date or lies in
 * the future.
 */
export function computeAge(birthDate: string, now: Date): number | undefined {
  if (birthDate.length !== 10 || birthDate.charCodeAt(4) !== 45 || birthDate.charCodeAt(7) !== 45) return undefined;
  const by = readDigits(birthDate, 0, 4);
  const bm = readDigits(birthDate, 5, 2);
  const bd = readDigits(birthDate, 8, 2);
  if (by < 0 || bm < 1 || bm > 12 || bd < 1 || bd > daysInMonth(by, bm)) return undefined;
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const d = now.getUTCDate();
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  return age < 0 ? undefined : age;
}

function readDigits(s: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
