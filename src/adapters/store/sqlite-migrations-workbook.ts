// Migration 5: the workbook's rollup tables (maintained by WorkbookRollups in sqlite-workbook.ts)
// and a partial covering index over failure events for the raw-event edges of panel queries. The
// lead appends `workbookMigration` to `sqliteMigrations`; like every migration it never changes
// once shipped (docs/storage.md).
import type { SqliteMigration } from './sqlite-migrations.ts';

export const workbookMigration: SqliteMigration = {
  version: 5,
  name: 'workbook-rollups',
  up: `
    -- One row per (dimension, block size, block start, policy, app, channel, key). Blocks are 1 h,
    -- 4 h, 1 d, 4 d, 16 d, 64 d (ROLLUP_SIZES), so any range is a handful of blocks. Each key also
    -- has a totals row with policy, app and channel '*': unfiltered panels read one row per key.
    -- NULL ids and keys are stored as '' (WITHOUT ROWID keys must be NOT NULL). Spend is in integer
    -- millionths so sums are exact in any order. The key order makes a block (and a block's totals,
    -- or one policy's rows) a single range scan.
    CREATE TABLE wb_rollup (
      dim TEXT NOT NULL,
      size INTEGER NOT NULL,
      bucket INTEGER NOT NULL,
      policy_id TEXT NOT NULL,
      app_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      value TEXT NOT NULL,
      value2 TEXT NOT NULL,
      failures INTEGER NOT NULL,
      bad_rep INTEGER NOT NULL,
      sends INTEGER NOT NULL,
      first_sends INTEGER NOT NULL,
      verified INTEGER NOT NULL,
      spend INTEGER NOT NULL,
      PRIMARY KEY (dim, size, bucket, policy_id, app_id, channel, value, value2)
    ) WITHOUT ROWID;
    -- Given keys (time-chart series, top-N candidates): a few seeks per key instead of a scan; the
    -- totals rows' version carries every measure, so an unfiltered sum never leaves the index.
    CREATE INDEX wb_rollup_series ON wb_rollup (dim, value, size, bucket);
    CREATE INDEX wb_rollup_series_totals ON wb_rollup (dim, value, size, bucket, failures, bad_rep, sends, first_sends, verified, spend)
      WHERE policy_id = '*';
    -- A block's totals by measure, highest first: its top K keys without reading the block.
    CREATE INDEX wb_rollup_rank_failures ON wb_rollup (dim, size, bucket, failures DESC) WHERE policy_id = '*';
    CREATE INDEX wb_rollup_rank_bad_rep ON wb_rollup (dim, size, bucket, bad_rep DESC) WHERE policy_id = '*' AND bad_rep > 0;
    CREATE INDEX wb_rollup_rank_spend ON wb_rollup (dim, size, bucket, spend DESC) WHERE policy_id = '*' AND spend > 0;

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
