// The alert rules, their per-group state and the alert history on SQLite (tables of migration 6,
// sqlite-migrations-alerts.ts), over the store's connection. Rules are kept as JSON and parsed
// with the rule schema on the way out, so a row written by an older Tollgate still reads as a valid rule.
import { StatementCache } from './sqlite-statements.ts';
import type Database from 'better-sqlite3';
import type { AlertGroupState } from '../../core/alerts/evaluation.ts';
import { alertRuleSchema, type AlertRule } from '../../core/alerts/rule.ts';
import type {
  AlertActionOutcome, AlertHistoryEntry, AlertHistoryQuery, AlertRuleSource, AlertStore, StateChange, StoredAlertRule,
} from '../../core/alerts/store.ts';

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 1000;

interface RuleRow {
  id: string;
  source: AlertRuleSource;
  definition: string;
  override: string | null;
  created_at: number;
  updated_at: number;
  updated_by: string;
}

interface StateRow {
  rule_id: string;
  group_key: string;
  firing: number;
  notified: number;
  since: number;
  last_notified_at: number | null;
  value: number | null;
}

interface HistoryRow {
  id: string;
  time: number;
  rule_id: string;
  rule_name: string;
  kind: AlertHistoryEntry['kind'];
  metric: AlertHistoryEntry['metric'];
  group_by: AlertHistoryEntry['groupBy'];
  group_key: string;
  value: number | null;
  threshold: number;
  comparison: AlertHistoryEntry['comparison'];
  volume: number;
  actions: string;
}

function parseRule(json: string): AlertRule {
  return alertRuleSchema.parse(JSON.parse(json));
}

function ruleFromRow(r: RuleRow): StoredAlertRule {
  return {
    id: r.id,
    source: r.source,
    definition: parseRule(r.definition),
    override: r.override === null ? null : parseRule(r.override),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

function stateFromRow(r: StateRow): AlertGroupState {
  return {
    ruleId: r.rule_id, group: r.group_key, firing: r.firing === 1, notified: r.notified === 1, since: r.since,
    lastNotifiedAt: r.last_notified_at, value: r.value,
  };
}

function historyFromRow(r: HistoryRow): AlertHistoryEntry {
  return {
    id: r.id, time: r.time, ruleId: r.rule_id, ruleName: r.rule_name, kind: r.kind, metric: r.metric, groupBy: r.group_by,
    group: r.group_key, value: r.value, threshold: r.threshold, comparison: r.comparison, volume: r.volume,
    actions: JSON.parse(r.actions) as AlertActionOutcome[],
  };
}

export class SqliteAlertStore implements AlertStore {
  private readonly statements: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  private stmt<R = unknown>(sql: string): Database.Statement<unknown[], R> {
    return this.statements.get<R>(sql);
  }

  async listRules(): Promise<StoredAlertRule[]> {
    return this.stmt<RuleRow>('SELECT * FROM alert_rules ORDER BY id').all().map(ruleFromRow);
  }

  async getRule(id: string): Promise<StoredAlertRule | null> {
    const row = this.stmt<RuleRow>('SELECT * FROM alert_rules WHERE id = ?').get(id);
    return row ? ruleFromRow(row) : null;
  }

  async putRule(rule: StoredAlertRule): Promise<void> {
    this.stmt(
      `INSERT INTO alert_rules (id, source, definition, override, created_at, updated_at, updated_by)
       VALUES (@id, @source, @definition, @override, @createdAt, @updatedAt, @updatedBy)
       ON CONFLICT (id) DO UPDATE SET source = excluded.source, definition = excluded.definition, override = excluded.override,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ).run({
      id: rule.id,
      source: rule.source,
      definition: JSON.stringify(rule.definition),
      override: rule.override === null ? null : JSON.stringify(rule.override),
      createdAt: rule.createdAt,
      updatedAt: rule.updatedAt,
      updatedBy: rule.updatedBy,
    });
  }

  async deleteRule(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.stmt('DELETE FROM alert_state WHERE rule_id = ?').run(id);
      return this.stmt('DELETE FROM alert_rules WHERE id = ?').run(id).changes > 0;
    })();
  }

  async changeStates<T>(ruleId: string, change: (states: AlertGroupState[]) => StateChange<T>): Promise<T> {
    const run = this.db.transaction(() => {
      const states = this.stmt<StateRow>('SELECT * FROM alert_state WHERE rule_id = ? ORDER BY group_key').all(ruleId).map(stateFromRow);
      const c = change(states);
      const save = this.stmt(
        `INSERT INTO alert_state (rule_id, group_key, firing, notified, since, last_notified_at, value)
         VALUES (@ruleId, @group, @firing, @notified, @since, @lastNotifiedAt, @value)
         ON CONFLICT (rule_id, group_key) DO UPDATE SET firing = excluded.firing, notified = excluded.notified, since = excluded.since,
           last_notified_at = excluded.last_notified_at, value = excluded.value`,
      );
      for (const s of c.save) {
        save.run({ ruleId, group: s.group, firing: s.firing ? 1 : 0, notified: s.notified ? 1 : 0, since: s.since, lastNotifiedAt: s.lastNotifiedAt, value: s.value });
      }
      const drop = this.stmt('DELETE FROM alert_state WHERE rule_id = ? AND group_key = ?');
      for (const g of c.drop) drop.run(ruleId, g);
      const insert = this.stmt(
        `INSERT INTO alert_history (id, time, rule_id, rule_name, kind, metric, group_by, group_key, value, threshold, comparison, volume, actions)
         VALUES (@id, @time, @ruleId, @ruleName, @kind, @metric, @groupBy, @group, @value, @threshold, @comparison, @volume, @actions)`,
      );
      for (const h of c.history) insert.run({ ...h, actions: JSON.stringify(h.actions) });
      return c.result;
    });
    // IMMEDIATE: take the write lock before reading, so a second instance waits and then sees our states.
    return run.immediate();
  }

  async clearStates(ruleId: string): Promise<void> {
    this.stmt('DELETE FROM alert_state WHERE rule_id = ?').run(ruleId);
  }

  async firing(): Promise<AlertGroupState[]> {
    return this.stmt<StateRow>('SELECT * FROM alert_state WHERE firing = 1 ORDER BY rule_id, group_key').all().map(stateFromRow);
  }

  async setHistoryActions(id: string, actions: AlertActionOutcome[]): Promise<void> {
    this.stmt('UPDATE alert_history SET actions = ? WHERE id = ?').run(JSON.stringify(actions), id);
  }

  async listHistory(query: AlertHistoryQuery = {}): Promise<AlertHistoryEntry[]> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? HISTORY_DEFAULT_LIMIT), 1), HISTORY_MAX_LIMIT);
    const where: string[] = [];
    const params: Record<string, unknown> = { limit };
    if (query.ruleId !== undefined) {
      where.push('rule_id = @ruleId');
      params.ruleId = query.ruleId;
    }
    if (query.before !== undefined) {
      where.push('time < @before');
      params.before = query.before;
    }
    const sql = `SELECT * FROM alert_history${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, rowid DESC LIMIT @limit`;
    return this.stmt<HistoryRow>(sql).all(params).map(historyFromRow);
  }

  async lastFired(): Promise<Map<string, number>> {
    const rows = this.stmt<{ rule_id: string; t: number }>(
      "SELECT r.id AS rule_id, (SELECT max(h.time) FROM alert_history h WHERE h.rule_id = r.id AND h.kind = 'fired') AS t FROM alert_rules r",
    ).all();
    return new Map(rows.filter((r) => r.t !== null).map((r) => [r.rule_id, r.t]));
  }
}
