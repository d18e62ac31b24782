// Times and durations as scenario files write them. Durations: "90s", "30m", "2h", "7d", "1d6h".
// Time points: "D+HH:MM", day D of the measured period (0 = its first day, negative = warm-up) at
// HH:MM, in UTC or in a country's local time: attacks are described "at 02:00 target-local".

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const unitMs: Record<string, number> = { s: 1000, m: MINUTE, h: HOUR, d: DAY };
const durationPattern = /^(?:\d+(?:\.\d+)?[dhms])+$/;
const timePattern = /^(-?\d+)\+([01]?\d|2[0-3]):([0-5]\d)$/;

export function isDuration(text: string): boolean {
  return durationPattern.test(text);
}

export function isTimePoint(text: string): boolean {
  return timePattern.test(text);
}

/** Milliseconds of a duration string; throws on a malformed one (schemas check first). */
export function parseDuration(text: string): number {
  if (!durationPattern.test(text)) throw new RangeError(`not a duration: "${text}" (use e.g. 90s, 30m, 2h, 7d, 1d6h)`);
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)([dhms])/g)) total += Number(m[1]) * unitMs[m[2]!]!;
  return Math.round(total);
}

/**
 * Absolute epoch ms of "D+HH:MM": `measuredStart` is UTC midnight of measured day 0, and
 * `utcOffsetHours` the local time zone the clock reading is in (0 for UTC).
 */
export function resolveTimePoint(text: string, measuredStart: number, utcOffsetHours = 0): number {
  const m = timePattern.exec(text);
  if (!m) throw new RangeError(`not a time point: "${text}" (use D+HH:MM, e.g. 0+02:00)`);
  const day = Number(m[1]);
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return measuredStart + day * DAY + minutes * MINUTE - Math.round(utcOffsetHours * HOUR);
}

/** Local hour of day (fractional, 0–24) at epoch `t` in a zone `utcOffsetHours` from UTC. */
export function localHour(t: number, utcOffsetHours: number): number {
  const local = t + utcOffsetHours * HOUR;
  return (((local % DAY) + DAY) % DAY) / HOUR;
}

/** Local day of week (0 = Sunday) at epoch `t`. */
export function localWeekday(t: number, utcOffsetHours: number): number {
  return new Date(t + utcOffsetHours * HOUR).getUTCDay();
}
