/**
 * RFC 3339 instants with up to nanosecond precision.
 *
 * Times are stored as epoch milliseconds, but clients filter with any offset and up to nine
 * fractional digits; keeping the sub-millisecond remainder lets `gt 12:00:00.123456Z` exclude a
 * value stored at .123 ms instead of rounding it into a false match.
 */
export interface Instant {
  /** Whole epoch milliseconds (floor of the instant). */
  ms: number;
  /** Nanoseconds past `ms`, 0 to 999 999. */
  subMsNanos: number;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Parses an RFC 3339 date-time (or a bare date, read as midnight UTC); undefined when it is not one. */
export function parseInstant(text: string): Instant | undefined {
  const m = RFC3339.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = "Z"] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== "z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const nanos = Number(frac.padEnd(9, "0"));
  // setUTCFullYear, not Date.UTC: the latter maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const base = date.getTime() - offsetMinutes * 60_000;
  return { ms: base + Math.floor(nanos / 1_000_000), subMsNanos: nanos % 1_000_000 };
}

/** -1, 0 or 1 as `a` is before, at or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.subMsNanos !== b.subMsNanos) return a.subMsNanos < b.subMsNanos ? -1 : 1;
  return 0;
}
