import { parseIsoDate } from '../lib/calendar-date.ts';

/**
 * Age in whole years on the UTC calendar day of `now`. A 29 February birthday counts from 1 March
 * in common years. Returns undefined for anything that is not a real YYYY-MM-DD date or lies in
 * the future.
 */
export function computeAge(birthDate: string, now: Date): number | undefined {
  const birth = parseIsoDate(birthDate);
  if (!birth) return undefined;
  const m = now.getUTCMonth() + 1;
  const d = now.getUTCDate();
  const age = now.getUTCFullYear() - birth.year - (m < birth.month || (m === birth.month && d < birth.day) ? 1 : 0);
  return age < 0 ? undefined : age;
}
