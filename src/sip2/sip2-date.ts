/**
 * SIP2 dates: `YYYYMMDDZZZZHHMMSS`, 18 characters; ZZZZ is four blanks (local time) or `   Z`
 * (UTC). Parsed leniently (`0000` and other zones are read as given, a short date is refused):
 * never use a transaction date for anything that matters.
 */

export const SIP2_DATE_LENGTH = 18;

export interface Sip2DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly zone: string;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const DATE_SHAPE = /^(\d{4})(\d{2})(\d{2})(.{4})(\d{2})(\d{2})(\d{2})$/;

/** A transaction date in UTC (`   Z`), from the injected clock's time. */
export function formatSip2Date(epochMs: number): string {
  const date = new Date(epochMs);
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${String(date.getUTCFullYear()).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}   Z${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}`;
}

/** The parts of an 18-character date, or undefined when it is not one. */
export function parseSip2Date(text: string): Sip2DateParts | undefined {
  const match = DATE_SHAPE.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, zone, hour, minute, second] = match as unknown as [string, string, string, string, string, string, string, string];
  return { year: Number(year), month: Number(month), day: Number(day), zone, hour: Number(hour), minute: Number(minute), second: Number(second) };
}
