// The workbook panels on SQLite: each panel is one (or a few) queries over the rollups of
// sqlite-workbook-rollups.ts plus raw events for what the rollups do not hold, run inside one read
// transaction so the rollups and the watermark they were read at agree.
import { StatementCache } from './sqlite-statements.ts';
import type Database from 'better-sqlite3';
import { TollgateError } from '../../core/errors.ts';
import { clampLimit, type WorkbookFilters } from '../../core/workbook/filters.ts';
import type { PanelId, PanelOptions, PanelRows } from '../../core/workbook/panels.ts';
import { binFor, binStarts, planBinned, planRange } from '../../core/workbook/ranges.ts';
import { conversion, denseSeries, expectedRegion, type BinCount } from '../../core/workbook/shaping.ts';
import { type AggregatePlan, type AggregateQuery, aggregateSql, FAILURE_SQL, type Feed, feeds, withTail } from './sqlite-workbook-sql.ts';
import { sqliteTopN } from './sqlite-workbook-topn.ts';
import { sqliteVelocity } from './sqlite-workbook-velocity.ts';

export { WorkbookRollups, type ApplyResult } from './sqlite-workbook-rollups.ts';

/** Default number of series in a time chart (plus "other"). */
export const DEFAULT_SERIES = 10;
const STATEMENT_CACHE = 256;

type Query = Omit<AggregateQuery, 'plan' | 'filters' | 'watermark' | 'feed'>;
interface Sums {
  s: number;
  v: number;
  n: number;
  sp: number;
  f: number;
}
const conversionSelect = 'sum(first_sends) AS s, sum(verified) AS v, sum(sends) AS n, sum(spend) AS sp, sum(failures) AS f';
const toConversion = (r: Sums) => conversion({ sessionsWithCode: r.s, verifiedSessions: r.v, sends: r.n, spendMicros: r.sp, failures: r.f });
const detailColumns = `time, type, outcome, reason, reason_description AS reasonDescription, phone_number AS phoneNumber, ip,
  json_extract(details, '$.ipCountry') AS ipCountry, phone_region AS phoneRegion, browser, os, channel, cost, app_id AS appId,
  policy_id AS policyId, session_id AS sessionId, correlation_id AS correlationId`;

/** Ascending by these text columns (SQLite's BINARY order for ASCII keys). */
function byKeys(...columns: string[]) {
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const c of columns) {
      const x = String(a[c] ?? '');
      const y = String(b[c] ?? '');
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

export class SqliteWorkbook {
  private readonly statements: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(db, STATEMENT_CACHE);
  }

  /** Runs `sql` through a bounded cache of prepared statements (plans differ in their number of blocks). */
  all<R>(sql: string, params: readonly unknown[]): R[] {
    return this.statement(sql).all(...params) as R[];
  }

  private statement(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  /** One read transaction: the watermark and every block read belong to the same snapshot. */
  private read<T>(fn: (watermark: number) => T): T {
    return this.db.transaction(() => fn((this.statement('SELECT last_rowid AS w FROM wb_state WHERE id = 1').get() as { w: number }).w))();
  }

  agg<R>(feed: Feed, f: WorkbookFilters, watermark: number, plan: AggregatePlan, q: Query): R[] {
    const { sql, params } = aggregateSql({ ...q, feed, filters: f, watermark, plan });
    return this.all<R>(sql, params);
  }

  private ranked<R>(feed: Feed, f: WorkbookFilters, o: PanelOptions, select: string, group: string, order: string, measure = 'failures', failuresOnly = true, detail = false): R[] {
    return this.read((w) =>
      this.agg<R>(feed, f, w, withTail(planRange(f.from, f.to)), {
        select, failuresOnly, detail,
        rest: `GROUP BY ${group} HAVING sum(${measure}) > 0 ORDER BY ${order} LIMIT ?`,
        restParams: [clampLimit(o.limit)],
      }),
    );
  }

  totalFailures(f: WorkbookFilters): PanelRows['total-failures'][] {
    return this.read((w) => this.agg(feeds.all, f, w, withTail(planRange(f.from, f.to)), { select: 'coalesce(sum(failures), 0) AS failures', rest: '', failuresOnly: true }));
  }

  failureReasons(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['failure-reasons'][] {
    // A reason's description is constant in practice; if it ever changed, the greatest text shows.
    return this.ranked(feeds.reason, f, o, 'value AS reason, max(value2) AS reasonDescription, sum(failures) AS failures', 'value', 'failures DESC, reason');
  }

  /** High-cardinality keys ranked by a measure: the pruned exact top N (sqlite-workbook-topn.ts). */
  private top<R>(feed: Feed, f: WorkbookFilters, o: PanelOptions, measure: string, select: string, order: string, tieBreak: (a: Record<string, unknown>, b: Record<string, unknown>) => number): R[] {
    return this.read((w) => sqliteTopN<R>(this, f, w, { feed, measure, limit: clampLimit(o.limit), select, order, tieBreak }));
  }

  badReputation(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['bad-reputation'][] {
    return this.top(feeds.phone, f, o, 'bad_rep', 'value AS phoneNumber, sum(bad_rep) AS failures', '_rank DESC, phoneNumber', byKeys('phoneNumber'));
  }

  failedPhones(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['failed-phones'][] {
    return this.top(feeds.phone, f, o, 'failures', 'value AS phoneNumber, sum(failures) AS failures', '_rank DESC, phoneNumber', byKeys('phoneNumber'));
  }

  failedIps(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['failed-ips'][] {
    return this.top(feeds.ip, f, o, 'failures', 'value AS ip, sum(failures) AS failures', '_rank DESC, ip', byKeys('ip'));
  }

  phoneIps(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['phone-ips'][] {
    return this.top(feeds.phoneIp, f, o, 'failures', 'value AS phoneNumber, value2 AS ip, sum(failures) AS failures', '_rank DESC, phoneNumber, ip', byKeys('phoneNumber', 'ip'));
  }

  browsers(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['browsers'][] {
    return this.ranked(feeds.browser, f, o, "nullif(value, '') AS browser, sum(failures) AS failures", 'value', 'failures DESC, value');
  }

  operatingSystems(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['operating-systems'][] {
    return this.ranked(feeds.os, f, o, "nullif(value, '') AS os, sum(failures) AS failures", 'value', 'failures DESC, value');
  }

  policyFailures(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['policy-failures'][] {
    return this.ranked(feeds.all, f, o, "nullif(policy_id, '') AS policyId, sum(failures) AS failures", 'policy_id', 'failures DESC, policy_id', 'failures', true, true);
  }

  ipCountries(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['ip-countries'][] {
    const rows = this.ranked<{ ipCountry: string | null; failures: number }>(feeds.ipCountry, f, o, "nullif(value, '') AS ipCountry, sum(failures) AS failures", 'value', 'failures DESC, value');
    return rows.map((r) => ({ ipCountry: r.ipCountry, expected: expectedRegion(r.ipCountry, o.expectedRegions), failures: r.failures }));
  }

  destinationCountries(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['destination-countries'][] {
    const rows = this.ranked<{ phoneRegion: string | null; failures: number }>(feeds.region, f, o, "nullif(value, '') AS phoneRegion, sum(failures) AS failures", 'value', 'failures DESC, value');
    return rows.map((r) => ({ phoneRegion: r.phoneRegion, expected: expectedRegion(r.phoneRegion, o.expectedRegions), failures: r.failures }));
  }

  conversionByCountry(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['conversion-by-country'][] {
    const rows = this.read((w) =>
      this.agg<Sums & { region: string }>(feeds.region, f, w, withTail(planRange(f.from, f.to)), {
        select: `value AS region, ${conversionSelect}`,
        rest: 'GROUP BY value ORDER BY sp DESC, s DESC, value LIMIT ?',
        restParams: [clampLimit(o.limit)],
      }),
    );
    return rows.map((r) => ({ phoneRegion: r.region || null, ...toConversion(r) }));
  }

  /** Prefixes with spend in the range, highest spend first. */
  conversionByPrefix(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['conversion-by-prefix'][] {
    const bySessions = (a: Record<string, unknown>, b: Record<string, unknown>) => (b.s as number) - (a.s as number) || byKeys('prefix', 'region')(a, b);
    const rows = this.top<Sums & { prefix: string; region: string }>(feeds.prefix, f, o, 'spend', `value AS prefix, value2 AS region, ${conversionSelect}`, '_rank DESC, s DESC, prefix, region', bySessions);
    return rows.map((r) => ({ prefix: r.prefix, phoneRegion: r.region || null, ...toConversion(r) }));
  }

  shadowRules(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['shadow-rules'][] {
    const keys = 'rule, code, shadow_action, happened, enforced_action';
    return this.ranked(feeds.shadow, f, o, `rule, code, shadow_action AS shadowAction, happened, nullif(enforced_action, '') AS enforcedAction, sum(events) AS events`, keys, `events DESC, ${keys}`, 'events', false);
  }

  velocity(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['velocity'][] {
    return this.read((w) => sqliteVelocity(this, f, w, clampLimit(o.limit)));
  }

  /** Time chart of the top N series of `feed` (phone or ip) and "other", per adaptive bin. */
  private chart(feed: Feed, top: (string | null)[], f: WorkbookFilters, w: number, seriesColumn = 'value'): PanelRows['phone-timechart'][] {
    const bin = binFor(f.from, f.to);
    const plan = withTail(planBinned(f.from, f.to, bin));
    const keys = top.map((t) => t ?? '');
    const byPolicy = seriesColumn === 'policy_id';
    const points = keys.length === 0 ? [] : this.agg<BinCount>(feed, f, w, plan, {
      bin, failuresOnly: true, detail: byPolicy, valueIn: byPolicy ? undefined : keys,
      select: `bucket AS bin, ${seriesColumn} AS series, sum(failures) AS failures`, rest: `GROUP BY bucket, ${seriesColumn}`,
    });
    const totals = this.agg<{ bin: number; failures: number }>(feeds.all, f, w, plan, { bin, failuresOnly: true, select: 'bucket AS bin, sum(failures) AS failures', rest: 'GROUP BY bucket' });
    const rows = denseSeries(binStarts(f.from, f.to, bin), keys, points, new Map(totals.map((t) => [t.bin, t.failures])));
    return rows.map((r) => (r.series === '' ? { ...r, series: null } : r));
  }

  phoneTimechart(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['phone-timechart'][] {
    const limit = clampLimit(o.limit, DEFAULT_SERIES);
    return this.read((w) => this.chart(feeds.phone, this.failedPhones(f, { limit }).map((r) => r.phoneNumber), f, w));
  }

  ipTimechart(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['ip-timechart'][] {
    const limit = clampLimit(o.limit, DEFAULT_SERIES);
    return this.read((w) => this.chart(feeds.ip, this.failedIps(f, { limit }).map((r) => r.ip), f, w));
  }

  policyTimechart(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['policy-timechart'][] {
    const limit = clampLimit(o.limit, DEFAULT_SERIES);
    return this.read((w) => this.chart(feeds.all, this.policyFailures(f, { limit }).map((r) => r.policyId), f, w, 'policy_id'));
  }

  private details(column: 'phone_number' | 'ip', value: string | undefined, f: WorkbookFilters, o: PanelOptions): PanelRows['phone-details'][] {
    const field = column === 'ip' ? 'ip' : 'phoneNumber';
    if (value === undefined) throw new TollgateError('invalid_request', `This panel needs ${field}.`, { field });
    const params: unknown[] = [value, f.from, f.to];
    let sql = `SELECT ${detailColumns} FROM events INDEXED BY ${column === 'ip' ? 'events_ip_time' : 'events_phone_time'}
      WHERE ${column} = ? AND time >= ? AND time < ? AND ${FAILURE_SQL}`;
    for (const [key, col] of [['appId', 'app_id'], ['policyId', 'policy_id'], ['channel', 'channel']] as const) {
      if (f[key] !== undefined) {
        sql += ` AND ${col} = ?`;
        params.push(f[key]);
      }
    }
    params.push(clampLimit(o.limit));
    return this.all(`${sql} ORDER BY time DESC, rowid DESC LIMIT ?`, params);
  }

  phoneDetails(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['phone-details'][] {
    return this.details('phone_number', f.phoneNumber, f, o);
  }

  ipDetails(f: WorkbookFilters, o: PanelOptions = {}): PanelRows['ip-details'][] {
    return this.details('ip', f.ip, f, o);
  }

  /** Any panel by id (the service and CSV export go through here). */
  run<K extends PanelId>(id: K, f: WorkbookFilters, o: PanelOptions = {}): PanelRows[K][] {
    const table: { [P in PanelId]: (f: WorkbookFilters, o: PanelOptions) => PanelRows[P][] } = {
      'total-failures': (x) => this.totalFailures(x),
      'failure-reasons': (x, y) => this.failureReasons(x, y),
      'bad-reputation': (x, y) => this.badReputation(x, y),
      'failed-ips': (x, y) => this.failedIps(x, y),
      'phone-ips': (x, y) => this.phoneIps(x, y),
      browsers: (x, y) => this.browsers(x, y),
      'operating-systems': (x, y) => this.operatingSystems(x, y),
      'policy-failures': (x, y) => this.policyFailures(x, y),
      'failed-phones': (x, y) => this.failedPhones(x, y),
      'phone-timechart': (x, y) => this.phoneTimechart(x, y),
      'policy-timechart': (x, y) => this.policyTimechart(x, y),
      'ip-timechart': (x, y) => this.ipTimechart(x, y),
      'phone-details': (x, y) => this.phoneDetails(x, y),
      'ip-details': (x, y) => this.ipDetails(x, y),
      'ip-countries': (x, y) => this.ipCountries(x, y),
      'destination-countries': (x, y) => this.destinationCountries(x, y),
      velocity: (x, y) => this.velocity(x, y),
      'conversion-by-country': (x, y) => this.conversionByCountry(x, y),
      'conversion-by-prefix': (x, y) => this.conversionByPrefix(x, y),
      'shadow-rules': (x, y) => this.shadowRules(x, y),
    };
    return table[id](f, o);
  }
}
