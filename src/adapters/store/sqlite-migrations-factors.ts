// Migration 3: the stronger factors' tables (TOTP enrollments, recovery codes, wrong-attempt log).
// Kept in its own file while the factors are being built; the lead appends it to
// `sqliteMigrations` in sqlite-migrations.ts. Never edit it once shipped: add a new migration.
import type { SqliteMigration } from './sqlite-migrations.ts';

export const factorsMigration: SqliteMigration = {
  version: 3,
  name: 'totp_factors',
  // secret_box: AES-256-GCM box of the base32 secret (core/totp/secret-box.ts), never the secret.
  // One active enrollment per (app, user) is a schema rule, not just a service habit, so two
  // confirmations racing each other cannot leave a user with two live secrets.
  // totp_attempts: wrong codes per enrollment, kept in the database so that a restart does not
  // hand an attacker a fresh guess budget.
  up: `
    CREATE TABLE totp_enrollments (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL,
      user_id_hash TEXT NOT NULL,
      secret_box TEXT NOT NULL,
      algorithm TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
      digits INTEGER NOT NULL CHECK (digits IN (6, 8)),
      period INTEGER NOT NULL CHECK (period BETWEEN 15 AND 120),
      status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
      created_at INTEGER NOT NULL,
      confirmed_at INTEGER,
      disabled_at INTEGER,
      last_used_step INTEGER
    );
    CREATE UNIQUE INDEX totp_enrollments_one_active
      ON totp_enrollments (app_id, user_id_hash) WHERE status = 'active';
    CREATE INDEX totp_enrollments_pending
      ON totp_enrollments (created_at) WHERE status = 'pending';

    CREATE TABLE recovery_codes (
      enrollment_id TEXT NOT NULL REFERENCES totp_enrollments (id) ON DELETE CASCADE,
      code_hash TEXT NOT NULL,
      used_at INTEGER,
      PRIMARY KEY (enrollment_id, code_hash)
    );

    CREATE TABLE totp_attempts (
      enrollment_id TEXT NOT NULL REFERENCES totp_enrollments (id) ON DELETE CASCADE,
      time INTEGER NOT NULL
    );
    CREATE INDEX totp_attempts_enrollment_time ON totp_attempts (enrollment_id, time);
  `,
};
