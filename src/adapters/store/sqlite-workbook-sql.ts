// The workbook's SQL on SQLite, in one place: which events feed which rollup (the failure
// definition of core/workbook/failures.ts turned into SQL), and the query that answers a range
// from whole rollup blocks plus raw events (sub-hour edges, and events past the rollup watermark).
import { BAD_REPUTATION_REASON, CODE_SENT, FAILURE_OUTCOMES, FAILURE_TYPES, SESSION_VERIFIED } from '../../core/workbook/failures.ts';
import type { WorkbookFilters } from '../../core/workbook/filters.ts';
import type { RangePlan, Span } from '../../core/workbook/ranges.ts';

const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
/** Written exactly as in the partial index wb_events_failures, so the planner can use it. */
export const FAILURE_SQL = `type IN (${list(FAILURE_TYPES)}) AND outcome IN (${list(FAILURE_OUTCOMES)})`;

/** A way events enter a rollup: which events, and the facts (columns) each contributes. */
interface Source {
  from: string;
  /** Index for time-range reads of this source (a covering partial index). */
  rawIndex?: string;
  where: string;
  columns: Readonly<Record<string, string>>;
}

const common = {
  time: 'e.time',
  app_id: "coalesce(e.app_id, '')",
  policy_id: "coalesce(e.policy_id, '')",
  channel: "coalesce(e.channel, '')",
};
const eventFacts = {
  ...common,
  reason: 'e.reason',
  reason_description: 'e.reason_description',
  browser: "coalesce(e.browser, '')",
  os: "coalesce(e.os, '')",
  ip_country: "coalesce(json_extract(e.details, '$.ipCountry'), '')",
  phone_region: "coalesce(e.phone_region, '')",
  phone_number: 'e.phone_number',
  ip: 'e.ip',
  prefix: 'substr(e.phone_number, 1, max(2, length(e.phone_number) - 4))',
};
const zero = { failures: '0', bad_rep: '0', sends: '0', first_sends: '0', verified: '0', spend: '0' };
const rollupSources = {
  failure: { from: 'events e', rawIndex: 'wb_events_failures', where: FAILURE_SQL.replace(/\b(type|outcome)\b/g, 'e.$1'), columns: { ...eventFacts, ...zero, failures: '1', bad_rep: `(e.reason = '${BAD_REPUTATION_REASON}')` } },
  sent: {
    from: 'events e',
    where: `e.type = '${CODE_SENT}'`,
    columns: { ...eventFacts, ...zero, sends: '1', first_sends: "(coalesce(json_extract(e.details, '$.sendCount'), 1) = 1)", spend: 'CAST(round(e.cost * 1000000) AS INTEGER)' },
  },
  verified: { from: 'events e', where: `e.type = '${SESSION_VERIFIED}'`, columns: { ...eventFacts, ...zero, verified: '1' } },
} satisfies Record<string, Source>;
const shadowSource: Source = {
  from: "events e, json_each(e.details, '$.decision.reasons') r",
  // The instr() test is a cheap pre-filter (details is compact JSON) before parsing anything.
  where: `instr(e.details, '"shadow":true') > 0 AND json_extract(r.value, '$.shadow') = 1`,
  columns: {
    ...common,
    rule: "coalesce(json_extract(r.value, '$.rule'), '')",
    code: "coalesce(json_extract(r.value, '$.code'), '')",
    shadow_action: "coalesce(json_extract(r.value, '$.action'), '')",
    happened: 'e.type',
    enforced_action: "coalesce(json_extract(e.details, '$.decision.action'), '')",
    events: '1',
  },
};

/** policy_id, app_id and channel of a key's totals row in wb_rollup (never a filter value). */
export const TOTAL = '*';

/** One rollup: a table (and dimension) fed by some sources, keyed by expressions over their facts. */
export interface Feed {
  table: 'wb_rollup' | 'wb_shadow';
  batch: 'wb_batch' | 'wb_batch_shadow';
  /** The table's primary key, in order (inserts are grouped in this order). */
  pk: readonly string[];
  dim: string | null;
  keys: readonly (readonly [column: string, expr: string])[];
  measures: readonly string[];
  where: string;
  sources: readonly Source[];
}

const MEASURES = ['failures', 'bad_rep', 'sends', 'first_sends', 'verified', 'spend'] as const;
const all = [rollupSources.failure, rollupSources.sent, rollupSources.verified];
const failuresOnly = [rollupSources.failure];
const dim = (name: string, value: string, value2: string, sources: readonly Source[], where = '1'): Feed => ({
  table: 'wb_rollup', batch: 'wb_batch', pk: ['dim', 'size', 'bucket', 'policy_id', 'app_id', 'channel', 'value', 'value2'], dim: name, keys: [['value', value], ['value2', value2]], measures: MEASURES,
  where: sources === failuresOnly ? `failures = 1 AND ${where}` : where, sources,
});

export const feeds = {
  all: dim('all', "''", "''", all),
  // value2 carries the reason's description, so a panel read before apply() still shows it.
  reason: dim('reason', 'reason', 'reason_description', failuresOnly),
  browser: dim('browser', 'browser', "''", failuresOnly),
  os: dim('os', 'os', "''", failuresOnly),
  ipCountry: dim('ip_country', 'ip_country', "''", failuresOnly),
  region: dim('region', 'phone_region', "''", all),
  phone: dim('phone', 'phone_number', "''", failuresOnly, 'phone_number IS NOT NULL'),
  ip: dim('ip', 'ip', "''", failuresOnly, 'ip IS NOT NULL'),
  phoneIp: dim('phone_ip', 'phone_number', 'ip', failuresOnly, 'phone_number IS NOT NULL AND ip IS NOT NULL'),
  prefix: dim('prefix', 'prefix', 'phone_region', all, 'prefix IS NOT NULL'),
  shadow: {
    table: 'wb_shadow', batch: 'wb_batch_shadow', dim: null,
    pk: ['size', 'bucket', 'rule', 'code', 'shadow_action', 'happened', 'enforced_action', 'app_id', 'policy_id', 'channel'], measures: ['events'], where: '1', sources: [shadowSource],
    keys: ['rule', 'code', 'shadow_action', 'happened', 'enforced_action'].map((k) => [k, k] as const),
  },
} satisfies Record<string, Feed>;

const filterColumns = [['appId', 'app_id'], ['policyId', 'policy_id'], ['channel', 'channel']] as const;

/** `AND col = ?` for each filter set; raw rows are compared before coalescing (filters are never ''). */
export function filterSql(filters: WorkbookFilters, params: unknown[], prefix = ''): string {
  let sql = '';
  for (const [key, column] of filterColumns) {
    const v = filters[key];
    if (v !== undefined) {
      sql += ` AND ${prefix}${column} = ?`;
      params.push(v);
    }
  }
  return sql;
}

/** Fact columns a feed reads: the common ones plus those its key and filter expressions name. */
export function neededColumns(feed: Feed): string[] {
  const exprs = [...feed.keys.map(([, e]) => e), feed.where].join(' ');
  const named = Object.keys(feed.sources[0]!.columns).filter((c) => new RegExp(`\\b${c}\\b`).test(exprs));
  return [...new Set(['time', 'app_id', 'policy_id', 'channel', ...feed.measures, ...named])];
}

/**
 * Filters on wb_rollup rows: no filter reads each key's totals row (policy/app/channel '*');
 * any filter (or `detail`) reads the per-policy/app/channel rows.
 */
export function rollupFilterSql(feed: Feed, filters: WorkbookFilters, params: unknown[], detail = false): string {
  if (feed.table !== 'wb_rollup') return filterSql(filters, params);
  const filtered = filterColumns.some(([key]) => filters[key] !== undefined);
  if (!filtered && !detail) return ` AND policy_id = '${TOTAL}' AND app_id = '${TOTAL}' AND channel = '${TOTAL}'`;
  return (filters.policyId === undefined ? ` AND policy_id <> '${TOTAL}'` : '') + filterSql(filters, params);
}

export function sourceSelect(source: Source, columns: readonly string[]): string {
  return columns.map((c) => `${source.columns[c] ?? '0'} AS ${c}`).join(', ');
}

export interface AggregatePlan extends RangePlan {
  /** Spans covered by rollup blocks, re-read raw for events past the watermark. */
  tail: Span[];
}

export interface AggregateQuery {
  feed: Feed;
  plan: AggregatePlan;
  filters: WorkbookFilters;
  watermark: number;
  /** Bin every row falls in (time charts, velocity); omitted: one bin. */
  bin?: number;
  /** Read wb_rollup's per-policy/app/channel rows even without filters (to group by policy). */
  detail?: boolean;
  /** Raw arms read failure events only (the panel sums nothing else). */
  failuresOnly?: boolean;
  /** Only these values of the first key (time-chart series, top-N candidates): index seeks. */
  valueIn?: readonly string[];
  /** Outer query over columns bucket, keys, app_id, policy_id, channel and measures, named `u`. */
  select: string;
  rest: string;
  restParams?: readonly unknown[];
}

/** Builds the UNION ALL of rollup blocks and raw events for one feed, wrapped in the caller's outer query. */
export function aggregateSql(q: AggregateQuery): { sql: string; params: unknown[] } {
  const { feed, plan, filters } = q;
  const params: unknown[] = [];
  const keyCols = feed.keys.map(([c]) => c);
  const measures = feed.measures;
  const arms: string[] = [];
  const firstKey = feed.keys[0]!;
  const inList = (expr: string): string => {
    if (!q.valueIn) return '';
    params.push(...q.valueIn);
    return ` AND ${expr} IN (${q.valueIn.map(() => '?').join(', ')})`;
  };
  const rollupBucket = q.bin ? `bucket - bucket % ${q.bin}` : '0';
  const totals = feed.table === 'wb_rollup' && !q.detail && !filterColumns.some(([key]) => filters[key] !== undefined);
  const indexed = q.valueIn && feed.table === 'wb_rollup' ? ` INDEXED BY ${totals ? 'wb_rollup_series_totals' : 'wb_rollup_series'}` : '';
  for (const run of plan.runs) {
    params.push(run.size, run.from, run.to);
    let where = `${feed.dim ? `dim = '${feed.dim}' AND ` : ''}size = ? AND bucket >= ? AND bucket < ?`;
    where += rollupFilterSql(feed, filters, params, q.detail) + inList(firstKey[0]);
    arms.push(`SELECT ${rollupBucket} AS bucket, ${[...keyCols, 'app_id', 'policy_id', 'channel', ...measures].join(', ')} FROM ${feed.table}${indexed} WHERE ${where}`);
  }
  const rawBucket = q.bin ? `time - time % ${q.bin}` : '0';
  const factCols = neededColumns(feed);
  // Tail arms: NOT INDEXED keeps the planner off the time indexes (it still uses the rowid), so they
  // read the rowid range past the watermark (a few rows) instead of every event of the range.
  const spans: [boolean, Span][] = [...plan.raw.map((s) => [false, s] as [boolean, Span]), ...plan.tail.map((s) => [true, s] as [boolean, Span])];
  const sources = q.failuresOnly ? feed.sources.filter((s) => s === rollupSources.failure) : feed.sources;
  for (const source of sources) {
    for (const [tail, span] of spans) {
      if (tail) params.push(q.watermark);
      params.push(span.from, span.to);
      const time = tail ? 'e.rowid > ? AND e.time >= ? AND e.time < ?' : 'e.time >= ? AND e.time < ?';
      const from = source.from.replace('events e', tail ? 'events e NOT INDEXED' : source.rawIndex ? `events e INDEXED BY ${source.rawIndex}` : 'events e');
      const inner = `SELECT ${sourceSelect(source, factCols)} FROM ${from} WHERE ${source.where} AND ${time}${filterSql(filters, params, 'e.')}`;
      const keys = feed.keys.map(([c, expr]) => `${expr} AS ${c}`).join(', ');
      arms.push(`SELECT ${rawBucket} AS bucket, ${keys}, app_id, policy_id, channel, ${measures.join(', ')} FROM (${inner}) WHERE ${feed.where}${inList(firstKey[1])}`);
    }
  }
  if (arms.length === 0) arms.push(`SELECT 0 AS bucket, ${[...keyCols, 'app_id', 'policy_id', 'channel', ...measures].map((c) => `NULL AS ${c}`).join(', ')} WHERE 0`);
  params.push(...(q.restParams ?? []));
  return { sql: `SELECT ${q.select} FROM (${arms.join('\nUNION ALL\n')}) u ${q.rest}`, params };
}

/** Rollup blocks cover [runs[0].from, runs[last].to) piecewise: merge them into spans for the tail read. */
export function withTail(plan: RangePlan): AggregatePlan {
  const tail: Span[] = [];
  for (const r of plan.runs) {
    const last = tail[tail.length - 1];
    if (last && last.to === r.from) last.to = r.to;
    else tail.push({ from: r.from, to: r.to });
  }
  return { ...plan, tail };
}
