/**
 * Ledger time: milliseconds since the Unix epoch (UTC) in memory, ISO-8601 strings on the
 * wire (`2026-11-25T10:00:00.000Z`).
 *
 * The core never reads a clock: every timestamp arrives on a command. These conversions are
 * written out by hand (civil-from-days, after Howard Hinnant) so the core needs no `Date`
 * object at all, and so that only one canonical text form is ever produced or accepted.
 */

/** Milliseconds since 1970-01-01T00:00:00.000Z. A count of time, never money. */
export type Timestamp = number;

export const MILLISECONDS_PER_DAY = 86_400_000;
export const MILLISECONDS_PER_HOUR = 3_600_000;

/** UTC day of a time: per-day caps reset at midnight UTC. */
export const utcDay = (at: Timestamp): number => Math.floor(at / MILLISECONDS_PER_DAY);

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;

/** Days since the epoch of a proleptic Gregorian date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

/** Parses a UTC ISO-8601 timestamp (`Z` suffix required); undefined when malformed or impossible. */
export function parseTimestamp(text: string): Timestamp | undefined {
  const match = ISO_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  const millis = ms === undefined ? 0 : Number(ms.padEnd(3, "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return (
    daysFromCivil(year, month, day) * MILLISECONDS_PER_DAY +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    millis
  );
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/** The one canonical text form: `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function formatTimestamp(at: Timestamp): string {
  const days = Math.floor(at / MILLISECONDS_PER_DAY);
  const rest = at - days * MILLISECONDS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hour = Math.floor(rest / MILLISECONDS_PER_HOUR);
  const minute = Math.floor((rest % MILLISECONDS_PER_HOUR) / 60_000);
  const second = Math.floor((rest % 60_000) / 1000);
  const millis = rest % 1000;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(millis, 3)}Z`;
}
