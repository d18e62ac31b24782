// How a time range is answered: the rollup block sizes, the split of [from, to) into whole rollup
// blocks plus ragged raw-event edges, and the time-chart bins. Pure and exact: no rounding, so a
// panel over a range counts exactly the events whose time is in [from, to).
import { DAY, HOUR, MINUTE } from './filters.ts';

/**
 * Rollup block sizes, smallest first, all aligned on the epoch (so on UTC hours and days); each
 * divides the next. Whole hours come from blocks, anything finer from raw events. A range of N hours
 * needs about 2·log(N) blocks, not N rows per key: with ~20k phone numbers active per day, reading 30
 * one-day blocks would mean ~450k rows, reading ~8 blocks of 1–16 days far fewer.
 */
export const ROLLUP_SIZES: readonly number[] = [HOUR, 4 * HOUR, DAY, 4 * DAY, 16 * DAY, 64 * DAY];

export interface Span {
  from: number;
  to: number;
}

/** A run of consecutive rollup blocks of one size: buckets `from`, `from + size`, … below `to`. */
export interface BlockRun extends Span {
  size: number;
}

export interface RangePlan {
  runs: BlockRun[];
  /** Parts of the range no whole block covers (under an hour at either edge, or all of a short bin). */
  raw: Span[];
}

const floorTo = (t: number, step: number): number => t - (((t % step) + step) % step);
const ceilTo = (t: number, step: number): number => floorTo(t + step - 1, step);

function pushSpan(spans: Span[], from: number, to: number): void {
  if (from >= to) return;
  const last = spans[spans.length - 1];
  if (last && last.to === from) last.to = to;
  else spans.push({ from, to });
}

function pushRun(runs: BlockRun[], size: number, from: number): void {
  const last = runs[runs.length - 1];
  if (last && last.size === size && last.to === from) last.to = from + size;
  else runs.push({ size, from, to: from + size });
}

/** Splits [from, to) into rollup blocks no larger than `maxSize` and raw edges. */
export function planRange(from: number, to: number, maxSize = Number.POSITIVE_INFINITY, sizes = ROLLUP_SIZES): RangePlan {
  const plan: RangePlan = { runs: [], raw: [] };
  if (from >= to) return plan;
  const smallest = sizes[0]!;
  const usable = sizes.filter((s) => s <= maxSize);
  const a = ceilTo(from, smallest);
  const b = floorTo(to, smallest);
  if (usable.length === 0 || a >= b) {
    pushSpan(plan.raw, from, to);
    return plan;
  }
  pushSpan(plan.raw, from, a);
  // Greedy from the left: the largest aligned block that still fits. Sizes divide each other, so
  // this climbs to the biggest block the range allows and steps back down near the end.
  for (let cursor = a; cursor < b; ) {
    let size = smallest;
    for (const s of usable) if (cursor % s === 0 && cursor + s <= b) size = s;
    pushRun(plan.runs, size, cursor);
    cursor += size;
  }
  pushSpan(plan.raw, b, to);
  return plan;
}

/** Time-chart bin, adaptive like a chart axis: 5 min up to 6 h, 1 h up to 7 d, then 1 day. */
export function binFor(from: number, to: number): number {
  const span = to - from;
  if (span <= 6 * HOUR) return 5 * MINUTE;
  if (span <= 7 * DAY) return HOUR;
  return DAY;
}

/** Bin starts covering [from, to): the first bin may start before `from` (it is epoch-aligned). */
export function binStarts(from: number, to: number, bin: number): number[] {
  const out: number[] = [];
  for (let t = floorTo(from, bin); t < to; t += bin) out.push(t);
  return out;
}

export function binOf(time: number, bin: number): number {
  return floorTo(time, bin);
}

/**
 * The plan for a time chart: each bin is planned on its own with blocks no larger than the bin, so
 * every block (and every raw event) falls inside exactly one bin. Runs are merged across bins.
 */
export function planBinned(from: number, to: number, bin: number, sizes = ROLLUP_SIZES): RangePlan {
  const plan: RangePlan = { runs: [], raw: [] };
  for (const start of binStarts(from, to, bin)) {
    const part = planRange(Math.max(start, from), Math.min(start + bin, to), bin, sizes);
    for (const r of part.runs) for (let t = r.from; t < r.to; t += r.size) pushRun(plan.runs, r.size, t);
    for (const s of part.raw) pushSpan(plan.raw, s.from, s.to);
  }
  return plan;
}
