// Sliding-window counters kept in this process (one Tollgate instance; Redis for several).
// Each key is a time-ordered series of (time, running total) entries, so a count over any window
// is one binary search. Hits closer together than a quantum share an entry: the quantum is
// 1/128 of the key's shortest window, coarsened so a key never holds more than 16,384 live
// entries. A shared entry expires with its latest hit, so the error (one quantum) always errs
// towards counting a send a little longer, never shorter, and the latest hit's time stays exact.
// Keys idle longer than their longest window are swept away: each key is filed in an expiry
// queue by the minute it may expire, so a sweep only looks at the keys due, not at every key.
import type { Counters } from '../../ports.ts';
import { ExpiryQueue } from './expiry-queue.ts';

interface Series {
  /** Time of the latest hit in each entry, non-decreasing. */
  times: number[];
  /** Running total up to and including each entry. */
  totals: number[];
  /** First live entry; entries before it expired and are dropped in batches. */
  head: number;
  /** Time of the first hit in the last entry (merging stops once an entry spans a quantum). */
  lastStart: number;
  /** Longest window this key was asked about: how long its entries must be kept. */
  retentionMs: number;
  /** Shortest window this key was asked about: what the quantum must resolve. */
  minWindowMs: number;
  /** Expiry-queue bucket the key is filed in (it may have been hit since: checked when due). */
  filed: number;
}

export interface MemoryCountersOptions {
  /** Entries per shortest window of a key (resolution of its windows). Default 128. */
  resolution?: number;
  /** Most live entries one key may hold (bounds memory per key). Default 16,384. */
  maxEntries?: number;
  /** Sweep idle keys at most this often, in `now` time. Default one minute. */
  sweepIntervalMs?: number;
}

export class MemoryCounters implements Counters {
  private readonly series = new Map<string, Series>();
  private readonly resolution: number;
  private readonly maxEntries: number;
  private readonly sweepIntervalMs: number;
  private lastSweep = -Infinity;
  private readonly expiry = new ExpiryQueue();
  private examined = 0;

  constructor(options: MemoryCountersOptions = {}) {
    this.resolution = options.resolution ?? 128;
    this.maxEntries = options.maxEntries ?? 16_384;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  }

  async hit(key: string, now: number, windowMs: number, amount = 1): Promise<number> {
    checkWindow(windowMs);
    if (!Number.isFinite(amount) || amount < 0) throw new RangeError('amount must be a non-negative number');
    this.maybeSweep(now);
    let s = this.series.get(key);
    if (!s) {
      s = { times: [], totals: [], head: 0, lastStart: -Infinity, retentionMs: windowMs, minWindowMs: windowMs, filed: NaN };
      this.series.set(key, s);
      this.file(key, s, now, now);
    }
    widen(s, windowMs);
    prune(s, now);
    const n = s.times.length;
    // A clock that stepped back files the hit at the latest known time, keeping the series sorted.
    const t = n > 0 ? Math.max(now, s.times[n - 1]!) : now;
    const quantum = Math.max(s.minWindowMs / this.resolution, s.retentionMs / this.maxEntries);
    if (n > s.head && t - s.lastStart < quantum) {
      s.times[n - 1] = t;
      s.totals[n - 1]! += amount;
    } else {
      s.times.push(t);
      s.totals.push((n > 0 ? s.totals[n - 1]! : 0) + amount);
      s.lastStart = t;
    }
    return sumSince(s, now - windowMs);
  }

  /** Read-only: a count at a later `now` (retry-after bisection) must not forget anything. */
  async count(key: string, now: number, windowMs: number): Promise<number> {
    checkWindow(windowMs);
    const s = this.series.get(key);
    if (!s) return 0;
    widen(s, windowMs);
    return sumSince(s, now - windowMs);
  }

  async reset(key: string): Promise<void> {
    this.series.delete(key);
  }

  /** Keys held, live entries across them, and keys the sweeps have looked at so far (tests, metrics). */
  stats(): { keys: number; entries: number; examined: number } {
    let entries = 0;
    for (const s of this.series.values()) entries += s.times.length - s.head;
    return { keys: this.series.size, entries, examined: this.examined };
  }

  /** Drops every key whose latest hit is older than its longest window; trims the others. */
  sweep(now: number): void {
    this.lastSweep = now;
    this.expiry.clear();
    for (const [key, s] of this.series) {
      if (expired(s, now)) this.series.delete(key);
      else {
        prune(s, now);
        this.file(key, s, s.times[s.times.length - 1]!, now);
      }
    }
  }

  private maybeSweep(now: number): void {
    // `now - lastSweep < 0` after a clock step back: look again from the new time.
    const since = now - this.lastSweep;
    if (since >= this.sweepIntervalMs || since < 0) this.expireDue(now);
  }

  /** Looks only at the keys filed in buckets that have ended by `now`: drops or files them again. */
  private expireDue(now: number): void {
    this.lastSweep = now;
    const bound = Math.floor(now / this.sweepIntervalMs);
    for (let due = this.expiry.takeDue(bound); due; due = this.expiry.takeDue(bound)) {
      for (const key of due.keys) {
        const s = this.series.get(key);
        // Gone (reset, swept), or filed again elsewhere since.
        if (!s || s.filed !== due.bucket) continue;
        this.examined++;
        if (expired(s, now)) this.series.delete(key);
        else {
          prune(s, now);
          this.file(key, s, s.times[s.times.length - 1]!, now);
        }
      }
    }
  }

  /** Files a key in the first bucket that ends after it can expire (and after `now`'s bucket). */
  private file(key: string, s: Series, last: number, now: number): void {
    const interval = this.sweepIntervalMs;
    s.filed = Math.max(Math.floor((last + s.retentionMs) / interval), Math.floor(now / interval)) + 1;
    this.expiry.file(key, s.filed);
  }
}

/** Its latest hit is older than its longest window (or it has none). */
function expired(s: Series, now: number): boolean {
  const last = s.times[s.times.length - 1];
  return last === undefined || last <= now - s.retentionMs;
}

function widen(s: Series, windowMs: number): void {
  if (windowMs > s.retentionMs) s.retentionMs = windowMs;
  if (windowMs < s.minWindowMs) s.minWindowMs = windowMs;
}

function checkWindow(windowMs: number): void {
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError('windowMs must be a positive number');
}

/** Total of entries later than `from`. Rounded: running totals of prices pick up float noise. */
function sumSince(s: Series, from: number): number {
  const { times, totals } = s;
  const n = times.length;
  let lo = s.head;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > from) hi = mid;
    else lo = mid + 1;
  }
  if (lo === n) return 0;
  const total = totals[n - 1]! - (lo > 0 ? totals[lo - 1]! : 0);
  return Math.round(total * 1e9) / 1e9;
}

/** Moves `head` past expired entries; compacts the arrays once half of them are dead. */
function prune(s: Series, now: number): void {
  const cutoff = now - s.retentionMs;
  while (s.head < s.times.length && s.times[s.head]! <= cutoff) s.head++;
  if (s.head > 32 && s.head * 2 > s.times.length) {
    const base = s.totals[s.head - 1]!;
    s.times = s.times.slice(s.head);
    s.totals = s.totals.slice(s.head).map((x) => x - base);
    s.head = 0;
  }
}
