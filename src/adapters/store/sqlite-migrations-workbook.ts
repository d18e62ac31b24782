// Migration 5: the workbook's rollup tables (maintained by WorkbookRollups in sqlite-workbook.ts)
// and a partial covering index over failure events for the raw-event edges of panel queries. The
// lead appends `workbookMigration` to `sqliteMigrations`; like every migration it never changes
// once shipped (docs/storage.md).
import type { SqliteMigration } from './sqlite-migrations.ts';

export const workbookMigration: SqliteMigration = {
  version: 5,
  name: 'workbook-rollups',
  up: `
    -- One row per (dimension, block size, block start, key, app, policy, channel). Blocks are 1 h,
    -- 4 h, 1 d, 4 d, 16 d, 64 d (ROLLUP_SIZES), so any range is a handful of blocks. NULL keys are
    -- stored as '' (WITHOUT ROWID keys must be NOT NULL). Spend is in integer millionths so sums are
    -- exact in any order. The primary key order (dim, size, bucket) makes every block a range scan.
    CREATE TABLE wb_rollup (
      dim TEXT NOT NULL,
      size INTEGER NOT NULL,
      bucket INTEGER NOT NULL,
      value TEXT NOT NULL,
      value2 TEXT NOT NULL,
      app_id TEXT NOT NULL,
      policy_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      failures INTEGER NOT NULL,
      bad_rep INTEGER NOT NULL,
      sends INTEGER NOT NULL,
      first_sends INTEGER NOT NULL,
      verified INTEGER NOT NULL,
      spend INTEGER NOT NULL,
      PRIMARY KEY (dim, size, bucket, value, value2, app_id, policy_id, channel)
    ) WITHOUT ROWID;
    -- Given keys (time-chart series, top-N candidates): a few seeks per key instead of a range scan.
    CREATE INDEX wb_rollup_series ON wb_rollup (dim, value, size, bucket);

    -- Shadow-mode defense reasons (details.decision.reasons with shadow true) beside what happened.
    CREATE TABLE wb_shadow (
      size INTEGER NOT NULL,
      bucket INTEGER NOT NULL,
      rule TEXT NOT NULL,
      code TEXT NOT NULL,
      shadow_action TEXT NOT NULL,
      happened TEXT NOT NULL,
      enforced_action TEXT NOT NULL,
      app_id TEXT NOT NULL,
      policy_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      events INTEGER NOT NULL,
      PRIMARY KEY (size, bucket, rule, code, shadow_action, happened, enforced_action, app_id, policy_id, channel)
    ) WITHOUT ROWID;

    -- How far the rollups have read the events table: its rowid (event ids are random UUIDs, so
    -- the rowid is the append order) and the id of that row, to notice rowids being reused.
    CREATE TABLE wb_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      last_rowid INTEGER NOT NULL,
      last_id TEXT,
      applied_at INTEGER,
      rebuilt_at INTEGER
    );
    INSERT INTO wb_state (id, last_rowid) VALUES (1, 0);

    -- Raw edges of a range (under an hour each side) and 5-minute time charts read failures only:
    -- a covering partial index keeps those reads inside the index.
    CREATE INDEX wb_events_failures ON events (time, app_id, policy_id, channel, reason, phone_number, ip, browser, os, phone_region)
      WHERE type IN ('code.send_refused', 'code.rejected', 'session.failed', 'session.expired', 'delivery.status')
        AND outcome IN ('failure', 'client_error');
  `,
};
