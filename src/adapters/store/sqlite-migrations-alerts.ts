// Migration 6: the alert rules, their per-group state and the alert history (docs/alerts.md), and
// one partial index on the events table for the `unconfirmed` and `conversion` metrics. Like every
// migration it never changes once shipped (docs/storage.md).
import type { SqliteMigration } from './sqlite-migrations.ts';

export const alertsMigration: SqliteMigration = {
  version: 6,
  name: 'alerts',
  up: `
    -- definition: the rule as declared (source default / config) or created in the app (source app),
    -- as JSON. override: a declared rule edited in the app (it wins until reset; null otherwise).
    CREATE TABLE alert_rules (
      id TEXT PRIMARY KEY,
      source TEXT NOT NULL CHECK (source IN ('default', 'config', 'app')),
      definition TEXT NOT NULL,
      override TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      updated_by TEXT NOT NULL
    );

    -- One row per (rule, group) that is firing, or quiet but still in its cooldown.
    CREATE TABLE alert_state (
      rule_id TEXT NOT NULL,
      group_key TEXT NOT NULL,
      firing INTEGER NOT NULL,
      notified INTEGER NOT NULL,
      since INTEGER NOT NULL,
      last_notified_at INTEGER,
      value REAL,
      PRIMARY KEY (rule_id, group_key)
    ) WITHOUT ROWID;

    -- Every notification (fired / resolved) with what its actions did. The rule's name and
    -- settings are copied: rules change and go, their history stays.
    CREATE TABLE alert_history (
      id TEXT PRIMARY KEY,
      time INTEGER NOT NULL,
      rule_id TEXT NOT NULL,
      rule_name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('fired', 'resolved')),
      metric TEXT NOT NULL,
      group_by TEXT NOT NULL,
      group_key TEXT NOT NULL,
      value REAL,
      threshold REAL NOT NULL,
      comparison TEXT NOT NULL,
      volume REAL NOT NULL,
      actions TEXT NOT NULL
    );
    CREATE INDEX alert_history_time ON alert_history (time);
    CREATE INDEX alert_history_rule_kind_time ON alert_history (rule_id, kind, time);

    -- "Had this session verified by then?" for every code sent in a window: one probe of a small index.
    CREATE INDEX alert_events_verified_session ON events (session_id, time) WHERE type = 'session.verified';
  `,
};
