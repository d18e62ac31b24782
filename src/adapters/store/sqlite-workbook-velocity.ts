// The velocity panel (failed authentications per phone number per day, highest first) on SQLite.
// Grouping every (phone, day) of a 30-day range would sort ~450k rows, so it is split: whole days
// are ranked inside the one-day rollup blocks, which are already in (day, phone) order, keeping only
// the top N; partial days at the edges and events past the watermark are added on top. Exact: a
// (phone, day) pair outside a whole-day top N is outranked by N pairs whose counts can only grow.
import { DAY, type WorkbookFilters } from '../../core/workbook/filters.ts';
import type { VelocityRow } from '../../core/workbook/panels.ts';
import { planBinned } from '../../core/workbook/ranges.ts';
import { feeds, filterSql, withTail } from './sqlite-workbook-sql.ts';
import type { SqliteWorkbook } from './sqlite-workbook.ts';

const key = (day: number, phone: string): string => `${day}\u0000${phone}`;

export function sqliteVelocity(wb: SqliteWorkbook, f: WorkbookFilters, watermark: number, limit: number): VelocityRow[] {
  const plan = withTail(planBinned(f.from, f.to, DAY));
  const wholeDays = plan.runs.filter((r) => r.size === DAY);
  const counts = new Map<string, VelocityRow>();
  const add = (r: VelocityRow): void => {
    const k = key(r.day, r.phoneNumber);
    const seen = counts.get(k);
    if (seen) seen.failures += r.failures;
    else counts.set(k, { ...r });
  };

  const ranked = new Set<string>();
  for (const run of wholeDays) {
    const params: unknown[] = [DAY, run.from, run.to];
    const filters = filterSql(f, params);
    params.push(limit);
    const rows = wb.all<VelocityRow>(
      `SELECT bucket AS day, value AS phoneNumber, sum(failures) AS failures FROM wb_rollup
       WHERE dim = 'phone' AND size = ? AND bucket >= ? AND bucket < ?${filters}
       GROUP BY bucket, value HAVING sum(failures) > 0 ORDER BY failures DESC, value, bucket LIMIT ?`,
      params,
    );
    for (const r of rows) {
      add(r);
      ranked.add(key(r.day, r.phoneNumber));
    }
  }

  // Partial days (smaller blocks and raw edges) plus unrolled events anywhere in the range.
  const edges = wb.agg<VelocityRow>(feeds.phone, f, watermark, { ...plan, runs: plan.runs.filter((r) => r.size !== DAY) }, {
    bin: DAY, failuresOnly: true, select: 'bucket AS day, value AS phoneNumber, sum(failures) AS failures', rest: 'GROUP BY bucket, value',
  });
  for (const r of edges) {
    const inWholeDay = wholeDays.some((run) => r.day >= run.from && r.day < run.to);
    if (inWholeDay && !ranked.has(key(r.day, r.phoneNumber))) {
      // An unrolled event on a whole day outside the top N: add that pair's rolled-up count.
      const params: unknown[] = [DAY, r.day, r.phoneNumber];
      const filters = filterSql(f, params);
      const [rolled] = wb.all<{ n: number }>(`SELECT coalesce(sum(failures), 0) AS n FROM wb_rollup WHERE dim = 'phone' AND size = ? AND bucket = ? AND value = ?${filters}`, params);
      add({ ...r, failures: r.failures + (rolled?.n ?? 0) });
      ranked.add(key(r.day, r.phoneNumber));
    } else {
      add(r);
    }
  }
  return [...counts.values()]
    .filter((r) => r.failures > 0)
    .sort((a, b) => b.failures - a.failures || (a.phoneNumber < b.phoneNumber ? -1 : a.phoneNumber > b.phoneNumber ? 1 : 0) || a.day - b.day)
    .slice(0, limit);
}
