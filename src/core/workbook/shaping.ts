// Pure post-processing shared by every store: dense time-chart series with the "other" bucket,
// conversion rates, and the expected-region flag. Stores return sums; this turns them into rows.
import type { ConversionRow, SeriesPoint } from './panels.ts';

export interface BinCount {
  bin: number;
  series: string;
  failures: number;
}

/**
 * Dense chart rows: for each bin, one row per top series (in rank order, zero when absent) and an
 * "other" row holding the bin total minus the top series. "other" is left out when it is zero in
 * every bin (fewer series than the top N).
 */
export function denseSeries(bins: readonly number[], top: readonly string[], points: readonly BinCount[], totals: ReadonlyMap<number, number>): SeriesPoint[] {
  const byKey = new Map<string, number>();
  for (const p of points) byKey.set(`${p.bin}\u0000${p.series}`, (byKey.get(`${p.bin}\u0000${p.series}`) ?? 0) + p.failures);
  const rows: SeriesPoint[] = [];
  const others: SeriesPoint[] = [];
  for (const bin of bins) {
    let inTop = 0;
    for (const series of top) {
      const failures = byKey.get(`${bin}\u0000${series}`) ?? 0;
      inTop += failures;
      rows.push({ bin, series, other: false, failures });
    }
    const other: SeriesPoint = { bin, series: null, other: true, failures: Math.max(0, (totals.get(bin) ?? 0) - inTop) };
    rows.push(other);
    others.push(other);
  }
  return others.some((o) => o.failures > 0) ? rows : rows.filter((r) => !r.other);
}

export interface ConversionSums {
  sessionsWithCode: number;
  verifiedSessions: number;
  sends: number;
  /** Integer micro-units (exact when added up in any order). */
  spendMicros: number;
  failures: number;
}

export function conversion(s: ConversionSums): ConversionRow {
  return {
    sessionsWithCode: s.sessionsWithCode,
    verifiedSessions: s.verifiedSessions,
    conversionRate: s.sessionsWithCode > 0 ? s.verifiedSessions / s.sessionsWithCode : null,
    sends: s.sends,
    spend: fromMicros(s.spendMicros),
    failures: s.failures,
  };
}

/** Costs are summed as integer millionths so incremental and rebuilt rollups agree exactly. */
export function toMicros(cost: number): number {
  return Math.round(cost * 1e6);
}
export function fromMicros(micros: number): number {
  return micros / 1e6;
}

/** True / false against the operator's list (case-insensitive); null when the region is unknown. */
export function expectedRegion(region: string | null, expected: readonly string[] | undefined): boolean | null {
  if (region === null) return null;
  if (!expected || expected.length === 0) return null;
  const r = region.toUpperCase();
  return expected.some((e) => e.toUpperCase() === r);
}
