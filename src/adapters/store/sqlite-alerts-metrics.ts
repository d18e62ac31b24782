// The alert metrics on SQLite: one GROUP BY over the events of a rule's window, read through the
// events indexes (`(type, time)`, the workbook's partial failures index) and, for "did this session
// verify?", migration 6's partial index on session.verified events. No query scans the events
// table (test/alerts/alert-metrics.test.ts checks the plans). Definitions: docs/alerts.md "Metrics".
import { StatementCache } from './sqlite-statements.ts';
import type Database from 'better-sqlite3';
import { ALL_GROUP, type MetricRow } from '../../core/alerts/evaluation.ts';
import type { AlertCounts, AlertGroupBy, AlertRule } from '../../core/alerts/rule.ts';
import type { AlertMetrics } from '../../core/alerts/store.ts';
import { CODE_SENT, FAILURE_OUTCOMES, FAILURE_TYPES, SESSION_VERIFIED } from '../../core/workbook/failures.ts';
import { FAILURE_SQL } from './sqlite-workbook-sql.ts';

const MINUTE = 60_000;
const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** The group key of an event, and the condition for having one. */
const groups: Record<AlertGroupBy, { key: string; has: string }> = {
  none: { key: `'${ALL_GROUP}'`, has: '1' },
  ip: { key: 'e.ip', has: 'e.ip IS NOT NULL' },
  phone: { key: 'e.phone_number', has: 'e.phone_number IS NOT NULL' },
  // E.164 minus its last 4 digits: the workbook's and the defense's prefix4.
  prefix: { key: 'substr(e.phone_number, 1, max(2, length(e.phone_number) - 4))', has: 'e.phone_number IS NOT NULL' },
  // Numbers without a region (+882…) are `001`, as in the defense's spend caps.
  country: { key: "coalesce(e.phone_region, '001')", has: 'e.phone_number IS NOT NULL' },
  policy: { key: 'e.policy_id', has: 'e.policy_id IS NOT NULL' },
};

const REFUSED = 'code.send_refused';
/** The event of a send refused outright by the defense or the country list. */
const BLOCKED_SQL = `(e.type = '${REFUSED}' AND json_extract(e.details, '$.decision.action') = 'block')`;
/** A session verified before now: one probe of alert_events_verified_session. */
const VERIFIED_SQL = `EXISTS (SELECT 1 FROM events v WHERE v.session_id = e.session_id AND v.type = '${SESSION_VERIFIED}' AND v.time < @now)`;
/** A code whose session has not verified by now (however long ago it was sent). */
const UNCONFIRMED_SQL = `NOT ${VERIFIED_SQL}`;
const FAILURE_E = FAILURE_SQL.replace(/\b(type|outcome)\b/g, 'e.$1');
/** A session's first successful send (as the workbook counts "sessions with a code sent"). */
const FIRST_SEND_SQL = `coalesce(json_extract(e.details, '$.sendCount'), 1) = 1`;
/** The phone steps that can fail, each with its success counterpart: the base of the failure rate. */
const STEP_TYPES = [...FAILURE_TYPES, CODE_SENT, 'code.verified', SESSION_VERIFIED];

/** For each thing counted: the events a count reads, and a rate's numerator and base. */
const counted: Record<AlertCounts, { count: { types: string; where: string }; rate: { types: string; hit: string } }> = {
  failures: {
    // Exactly the partial index wb_events_failures' condition, so the planner reads that index.
    count: { types: '', where: FAILURE_E },
    rate: { types: `e.type IN (${list(STEP_TYPES)})`, hit: `(e.outcome IN (${list(FAILURE_OUTCOMES)}) AND e.type IN (${list(FAILURE_TYPES)}))` },
  },
  unconfirmed: {
    count: { types: `e.type = '${CODE_SENT}'`, where: UNCONFIRMED_SQL },
    rate: { types: `e.type = '${CODE_SENT}'`, hit: UNCONFIRMED_SQL },
  },
  sends: {
    count: { types: `e.type = '${CODE_SENT}'`, where: '1' },
    rate: { types: `e.type IN ('${CODE_SENT}', '${REFUSED}')`, hit: `(e.type = '${CODE_SENT}')` },
  },
  blocked: {
    count: { types: `e.type = '${REFUSED}'`, where: BLOCKED_SQL },
    rate: { types: `e.type IN ('${CODE_SENT}', '${REFUSED}')`, hit: BLOCKED_SQL },
  },
};

/** The SQL of a rule's metric: `g`, `value`, `volume` per group, for events with @from <= time < @to (verified: before @now). */
export function metricSql(rule: Pick<AlertRule, 'metric' | 'counts' | 'groupBy'>): string {
  const g = groups[rule.groupBy];
  const time = 'e.time >= @from AND e.time < @to';
  const select = (value: string, volume: string, where: string) =>
    `SELECT ${g.key} AS g, ${value} AS value, ${volume} AS volume FROM events e WHERE ${where} AND ${time} AND ${g.has} GROUP BY g`;
  switch (rule.metric) {
    case 'count': {
      const c = counted[rule.counts ?? 'failures'].count;
      return select('count(*)', 'count(*)', c.types ? `${c.types} AND ${c.where}` : c.where);
    }
    case 'rate': {
      const r = counted[rule.counts ?? 'failures'].rate;
      return select(`CAST(sum(CASE WHEN ${r.hit} THEN 1 ELSE 0 END) AS REAL) / count(*)`, 'count(*)', r.types);
    }
    case 'spend':
      // Millionths summed as integers: exact in any order, like the workbook's rollups.
      return select('sum(CAST(round(e.cost * 1000000) AS INTEGER)) / 1000000.0', 'count(*)', `e.type = '${CODE_SENT}'`);
    case 'conversion': {
      // Sessions whose first code went out in the window, and the share of them that verified (by now).
      const session = 'coalesce(e.session_id, e.id)';
      return select(
        `CAST(count(DISTINCT CASE WHEN ${VERIFIED_SQL} THEN ${session} END) AS REAL) / count(DISTINCT ${session})`,
        `count(DISTINCT ${session})`,
        `e.type = '${CODE_SENT}' AND ${FIRST_SEND_SQL}`,
      );
    }
  }
}

/** The window a rule reads at `now`: it ends `settleMinutes` before now. */
export function metricWindow(rule: Pick<AlertRule, 'windowMinutes' | 'settleMinutes'>, now: number): { from: number; to: number; now: number } {
  const to = now - rule.settleMinutes * MINUTE;
  return { from: to - rule.windowMinutes * MINUTE, to, now };
}

interface Row {
  g: string;
  value: number | null;
  volume: number;
}

export class SqliteAlertMetrics implements AlertMetrics {
  private readonly statements: StatementCache;

  constructor(db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  async measure(rule: AlertRule, now: number): Promise<MetricRow[]> {
    const sql = metricSql(rule);
    const s = this.statements.get<Row, [{ from: number; to: number; now: number }]>(sql);
    const rows: MetricRow[] = s.all(metricWindow(rule, now)).map((r) => ({ group: r.g, value: r.value, volume: r.volume }));
    // `none` always has its one group, so "below" rules (sends dropping to zero) can fire on silence.
    if (rule.groupBy === 'none' && rows.length === 0) {
      const empty = rule.metric === 'count' || rule.metric === 'spend' ? 0 : null;
      rows.push({ group: ALL_GROUP, value: empty, volume: 0 });
    }
    return rows;
  }
}
