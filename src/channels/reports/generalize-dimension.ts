import type { CompiledDimension } from '../../contracts/compiled-contract.ts';
import { computeAge } from '../../policy/age.ts';
import { parseIsoDate } from '../../lib/calendar-date.ts';
import { DEFAULT_AGE_BANDS, findAgeBand, parseAgeBands, type AgeBand } from '../../policy/age-bands.ts';
import { RESTRICTED_ZIP3 } from '../../policy/restricted-zip3.ts';

const DEFAULT_BANDS: ReadonlyArray<AgeBand> = (() => {
  const parsed = parseAgeBands(DEFAULT_AGE_BANDS);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.bands;
})();

/** Why a row's value could not be used (a rejection reason; never the value itself). */
export type DimensionProblem = 'unparseable date' | 'unparseable birth date' | 'birth date after the attendance' | 'not a US ZIP code' | 'missing value' | 'value too long';

/**
 * Reads a date written YYYY-MM-DD or M/D/YYYY (US exports) as YYYY-MM-DD; undefined otherwise.
 */
export function normalizeDate(raw: string): string | undefined {
  // The common case first: a real YYYY-MM-DD date as written.
  if (parseIsoDate(raw)) return raw;
  const text = raw.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) [y, m, d] = [Number(us[3]), Number(us[1]), Number(us[2])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The published value of one dimension for one row: the generalization the grant's contract
 * names, applied to the row's raw value. `at` is the attendance date (YYYY-MM-DD), used for ages.
 */
export function generalizeDimension(dimension: CompiledDimension, raw: string, at: Date): { value: string } | { problem: DimensionProblem } {
  const text = raw.trim();
  if (text === '') return { problem: 'missing value' };
  switch (dimension.generalize) {
    case 'ageBand':
    case 'isMinor': {
      const birth = normalizeDate(text);
      if (!birth) return { problem: 'unparseable birth date' };
      const age = computeAge(birth, at);
      if (age === undefined) return { problem: 'birth date after the attendance' };
      if (dimension.generalize === 'isMinor') return { value: age < 18 ? 'under 18' : '18 and over' };
      return { value: findAgeBand(dimension.bands ?? DEFAULT_BANDS, age) ?? 'unknown' };
    }
    case 'postalCode3': {
      if (!/^\d{5}(?:-?\d{4})?$/.test(text)) return { problem: 'not a US ZIP code' };
      const prefix = text.slice(0, 3);
      return { value: RESTRICTED_ZIP3.has(prefix) ? '000' : prefix };
    }
    case 'month':
    case 'quarter':
    case 'year': {
      const date = normalizeDate(text);
      if (!date) return { problem: 'unparseable date' };
      const year = date.slice(0, 4);
      if (dimension.generalize === 'year') return { value: year };
      if (dimension.generalize === 'month') return { value: date.slice(0, 7) };
      return { value: `${year}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}` };
    }
    case 'none':
      return text.length > 80 ? { problem: 'value too long' } : { value: text };
  }
}

/** The first and last day of a period written 2026, 2026-Q3 or 2026-07; undefined when it is none of those. */
export function parsePeriod(period: string): { start: string; end: string } | undefined {
  const year = /^(\d{4})$/.exec(period);
  if (year) return { start: `${year[1]}-01-01`, end: `${year[1]}-12-31` };
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) {
    const q = Number(quarter[2]);
    const startMonth = (q - 1) * 3 + 1;
    const endMonth = startMonth + 2;
    const last = new Date(Date.UTC(Number(quarter[1]), endMonth, 0)).getUTCDate();
    return { start: `${quarter[1]}-${String(startMonth).padStart(2, '0')}-01`, end: `${quarter[1]}-${String(endMonth).padStart(2, '0')}-${last}` };
  }
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (month) {
    const last = new Date(Date.UTC(Number(month[1]), Number(month[2]), 0)).getUTCDate();
    return { start: `${month[1]}-${month[2]}-01`, end: `${month[1]}-${month[2]}-${last}` };
  }
  return undefined;
}
