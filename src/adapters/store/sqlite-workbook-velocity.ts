// The velocity panel (failed authentications per phone number per day, highest first) on SQLite.
// Grouping every (phone, day) of a 30-day range would sort ~250k rows, so it is split: each whole
// day's top N comes from its one-day rollup block (unfiltered: N entries of the rank index); partial
// days at the edges and events past the watermark are added on top. Exact: a (phone, day) pair
// outside its day's top N is outranked by N pairs whose counts can only grow.
import { DAY, type WorkbookFilters } from '../../core/workbook/filters.ts';
import type { VelocityRow } from '../../core/workbook/panels.ts';
import { planBinned } from '../../core/workbook/ranges.ts';
import { feeds, rollupFilterSql, TOTAL, withTail } from './sqlite-workbook-sql.ts';
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
  const unfiltered = f.appId === undefined && f.policyId === undefined && f.channel === undefined;
  const days = wholeDays.flatMap((run) => Array.from({ length: (run.to - run.from) / DAY }, (_, i) => run.from + i * DAY));
  for (const day of days) {
    const params: unknown[] = [DAY, day];
    // Unfiltered: the day's totals rows through the rank index, N entries read. Filtered: the
    // day's rows of that policy/app/channel, grouped.
    const sql = unfiltered
      ? `SELECT bucket AS day, value AS phoneNumber, failures FROM wb_rollup WHERE dim = 'phone' AND size = ? AND bucket = ?
         AND policy_id = '${TOTAL}' AND app_id = '${TOTAL}' AND channel = '${TOTAL}' AND failures > 0 ORDER BY failures DESC, value LIMIT ?`
      : `SELECT bucket AS day, value AS phoneNumber, sum(failures) AS failures FROM wb_rollup WHERE dim = 'phone' AND size = ? AND bucket = ?
         ${rollupFilterSql(feeds.phone, f, params)} GROUP BY value HAVING sum(failures) > 0 ORDER BY failures DESC, value LIMIT ?`;
    params.push(limit);
    for (const r of wb.all<VelocityRow>(sql, params)) {
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
      const filters = rollupFilterSql(feeds.phone, f, params);
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
