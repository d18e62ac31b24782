// Migration 4 (admin): the tables of the admin sign-in (users, their sign-in sessions, API tokens)
// and the admin audit trail. Every statement is IF NOT EXISTS: the `tollgate admin` CLI applies it
// on its own to databases the migration runner has not upgraded yet, and the runner may then run it again.
import type Database from 'better-sqlite3';
import type { SqliteMigration } from './sqlite-migrations.ts';

export const adminMigration: SqliteMigration = {
  version: 4,
  name: 'admin',
  up: `
    CREATE TABLE IF NOT EXISTS users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
      created_at INTEGER NOT NULL,
      disabled_at INTEGER,
      last_sign_in_at INTEGER
    );

    -- id_hash is sha256 of the cookie value: the cookie itself is never stored.
    CREATE TABLE IF NOT EXISTS admin_sessions (
      id_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      ip TEXT,
      user_agent TEXT
    );
    CREATE INDEX IF NOT EXISTS admin_sessions_user ON admin_sessions (user_id);
    CREATE INDEX IF NOT EXISTS admin_sessions_expires ON admin_sessions (expires_at);

    CREATE TABLE IF NOT EXISTS api_tokens (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      token_hash TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('viewer', 'admin')),
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      last_used_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens (user_id);

    CREATE TABLE IF NOT EXISTS admin_audit (
      id TEXT PRIMARY KEY,
      time INTEGER NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      details TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS admin_audit_time ON admin_audit (time);
    CREATE INDEX IF NOT EXISTS admin_audit_actor_time ON admin_audit (actor, time);
    CREATE INDEX IF NOT EXISTS admin_audit_target_time ON admin_audit (target, time);
  `,
};

/** Creates the admin tables when they are missing (idempotent), whether or not the runner knows migration 4. */
export function ensureAdminSchema(db: Database.Database): void {
  db.transaction(() => db.exec(adminMigration.up)).immediate();
}
