// The SQLite schema as numbered migrations, and the runner that applies them. Applied migrations
// are recorded in schema_migrations; never edit, renumber or rename one once it has shipped: add
// a new one instead (policy in docs/storage.md).
import type Database from 'better-sqlite3';
import { adminMigration } from './sqlite-migrations-admin.ts';
import { alertsMigration } from './sqlite-migrations-alerts.ts';
import { factorsMigration } from './sqlite-migrations-factors.ts';
import { workbookMigration } from './sqlite-migrations-workbook.ts';

export interface SqliteMigration {
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
}

const coreMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'initial',
    up: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        selected_number TEXT,
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX sessions_active_verification
        ON sessions (app_id, selected_number, created_at)
        WHERE kind = 'verification';
      CREATE INDEX sessions_expires_at ON sessions (expires_at);

      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        time INTEGER NOT NULL,
        type TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL,
        reason_description TEXT NOT NULL,
        app_id TEXT,
        policy_id TEXT,
        profile_id TEXT,
        session_id TEXT,
        user_id_hash TEXT,
        phone_number TEXT,
        country_calling_code TEXT,
        phone_region TEXT,
        channel TEXT,
        ip TEXT,
        user_agent TEXT,
        browser TEXT,
        browser_version TEXT,
        os TEXT,
        os_version TEXT,
        device_type TEXT,
        cost REAL NOT NULL,
        currency TEXT NOT NULL,
        correlation_id TEXT,
        details TEXT NOT NULL
      );
      CREATE INDEX events_time ON events (time);
      CREATE INDEX events_session_time ON events (session_id, time);
      CREATE INDEX events_phone_time ON events (phone_number, time);
      CREATE INDEX events_type_time ON events (type, time);
      CREATE INDEX events_ip_time ON events (ip, time);

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        time INTEGER NOT NULL,
        channel TEXT NOT NULL,
        to_number TEXT NOT NULL,
        body TEXT NOT NULL,
        code TEXT,
        session_id TEXT,
        locale TEXT NOT NULL
      );
      CREATE INDEX outbox_time ON outbox (time);
      CREATE INDEX outbox_to_time ON outbox (to_number, time);

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        private_jwk TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        rotated_at INTEGER,
        retired_at INTEGER
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'reputation_entries',
    // Allow/block lists of the toll-fraud defense. Expired rows stay until removed (the audit trail of
    // past blocks); readers filter by expires_at.
    up: `
      CREATE TABLE reputation_entries (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        list TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        note TEXT NOT NULL,
        created_by TEXT NOT NULL
      );
      CREATE INDEX reputation_kind_value ON reputation_entries (kind, value);
    `,
  },
];

/** Every migration, in order: the core tables, then each feature's own file. */
export const sqliteMigrations: readonly SqliteMigration[] = [...coreMigrations, factorsMigration, adminMigration, workbookMigration, alertsMigration];

/** The database was written by a newer Tollgate: refuse rather than guess at an unknown schema. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
    where: string,
  ) {
    super(
      `${where} has schema version ${databaseVersion}, but this Tollgate only knows migrations up to ` +
        `${codeVersion}. It was written by a newer Tollgate: upgrade Tollgate, or restore a backup taken ` +
        `before the upgrade. Tollgate never downgrades a schema.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

interface AppliedRow {
  version: number;
  name: string;
}

/**
 * Applies every migration not yet recorded, each in its own IMMEDIATE transaction (so two processes
 * starting together cannot both apply one). Safe to call on every start.
 */
export function runSqliteMigrations(
  db: Database.Database,
  where: string,
  migrations: readonly SqliteMigration[] = sqliteMigrations,
): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const latestKnown = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const selectApplied = db.prepare<[], AppliedRow>('SELECT version, name FROM schema_migrations ORDER BY version');
  const insertApplied = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );

  const check = (): Map<number, string> => {
    const applied = new Map(selectApplied.all().map((r) => [r.version, r.name] as const));
    const newest = Math.max(0, ...applied.keys());
    if (newest > latestKnown) throw new SchemaTooNewError(newest, latestKnown, where);
    for (const m of migrations) {
      const name = applied.get(m.version);
      if (name !== undefined && name !== m.name) {
        throw new Error(
          `${where}: migration ${m.version} was applied as "${name}" but this Tollgate calls it "${m.name}"; ` +
            `the database and the code disagree about the schema.`,
        );
      }
    }
    return applied;
  };

  check();
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    const apply = db.transaction(() => {
      // Re-read inside the write lock: another process may have applied it meanwhile.
      if (check().has(migration.version)) return;
      db.exec(migration.up);
      insertApplied.run(migration.version, migration.name, Date.now());
    });
    apply.immediate();
  }
}

/** Highest applied migration version, 0 for an empty database. */
export function sqliteSchemaVersion(db: Database.Database): number {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!exists) return 0;
  const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get();
  return row?.v ?? 0;
}
