// The time range a backtest replays: `--since` / `--until` as a duration back from now (90m, 24h,
// 7d, 2w) or an ISO 8601 date or date-time. Pure: `now` is given.
import { BacktestInputError } from './errors.ts';

export interface TimeRange {
  /** Epoch ms, inclusive. */
  since: number;
  /** Epoch ms, exclusive. */
  until: number;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^(\d{1,6})([smhdw])$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A duration such as `24h` or `7d` in ms, or null when `text` is not one. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim().toLowerCase());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : null;
}

/**
 * `text` as an instant: a duration counts back from `now`; an ISO date without a time is
 * midnight UTC, and a date-time without an offset is UTC too (backtests must not depend on
 * the machine's time zone).
 */
export function parseInstant(text: string, now: number, flag: string): number {
  const trimmed = text.trim();
  const duration = parseDuration(trimmed);
  if (duration !== null) return now - duration;
  if (ISO_DATE.test(trimmed)) {
    const hasTime = /[T ]/.test(trimmed);
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) && hasTime;
    const ms = Date.parse(hasTime && !hasZone ? `${trimmed.replace(' ', 'T')}Z` : trimmed.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms;
  }
  throw new BacktestInputError(`${flag}: expected a duration such as 24h, 7d or 30d, or an ISO date such as 2025-03-01 or 2025-03-01T12:00Z; got "${text}"`);
}

export function resolveRange(input: { since: string; until?: string }, now: number): TimeRange {
  const since = parseInstant(input.since, now, '--since');
  const until = input.until === undefined ? now : parseInstant(input.until, now, '--until');
  if (since >= until) {
    throw new BacktestInputError(`--since (${new Date(since).toISOString()}) must be before --until (${new Date(until).toISOString()})`);
  }
  return { since, until };
}
