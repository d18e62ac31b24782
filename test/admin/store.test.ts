// SqliteAdminStore against a real temp-file database: the migration SQL applied directly, applied
// twice (the CLI's idempotent path), and through the migration runner after the main migrations.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteAdminStore } from '../../src/adapters/store/sqlite-admin.ts';
import { runSqliteMigrations, sqliteMigrations, sqliteSchemaVersion } from '../../src/adapters/store/sqlite-migrations.ts';
import { adminMigration } from '../../src/adapters/store/sqlite-migrations-admin.ts';
import type { AdminUser } from '../../src/core/admin/model.ts';

function tempDb(): { db: Database.Database; path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-admin-store-'));
  const path = join(dir, 'tollgate.db');
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  return { db, path, remove: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

const user = (over: Partial<AdminUser> = {}): AdminUser => ({
  id: 'u1', username: 'alice', passwordHash: 'scrypt$x', role: 'admin', createdAt: 1000, disabledAt: null, lastSignInAt: null, ...over,
});

describe('admin migration', () => {
  test('is version 4 named admin, and its SQL is idempotent', () => {
    const t = tempDb();
    try {
      assert.equal(adminMigration.version, 4);
      assert.equal(adminMigration.name, 'admin');
      assert.equal(typeof adminMigration.up, 'string');
      t.db.exec(adminMigration.up as string);
      t.db.exec(adminMigration.up as string);
      const tables = t.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
      assert.deepEqual(tables, ['admin_audit', 'admin_sessions', 'api_tokens', 'users']);
    } finally {
      t.remove();
    }
  });

  test('the runner applies it after the main migrations, even when the CLI created the tables first', () => {
    const t = tempDb();
    try {
      t.db.exec(adminMigration.up as string); // the CLI before the lead's wiring
      const withAdmin = [...sqliteMigrations, ...(sqliteMigrations.some((m) => m.version === 4) ? [] : [adminMigration])];
      runSqliteMigrations(t.db, 'test db', withAdmin);
      assert.ok(sqliteSchemaVersion(t.db) >= 4);
      runSqliteMigrations(t.db, 'test db', withAdmin); // again: nothing to do
    } finally {
      t.remove();
    }
  });
});

describe('SqliteAdminStore', () => {
  test('users: create (unique username), read, update, list', async () => {
    const t = tempDb();
    t.db.exec(adminMigration.up as string);
    const store = new SqliteAdminStore(t.db);
    try {
      assert.equal(await store.createUser(user()), true);
      assert.equal(await store.createUser(user({ id: 'u2' })), false); // same username
      await store.createUser(user({ id: 'u3', username: 'bob', role: 'viewer' }));
      await store.updateUser('u1', { lastSignInAt: 5000, passwordHash: 'scrypt$y' });
      assert.deepEqual(await store.getUserByUsername('alice'), user({ lastSignInAt: 5000, passwordHash: 'scrypt$y' }));
      assert.equal((await store.getUserById('u3'))?.role, 'viewer');
      assert.deepEqual((await store.listUsers()).map((u) => u.username), ['alice', 'bob']);
      assert.equal(await store.getUserById('nope'), null);
    } finally {
      await store.close();
      t.remove();
    }
  });

  test('sessions and tokens: create, touch, expire, delete', async () => {
    const t = tempDb();
    t.db.exec(adminMigration.up as string);
    const store = new SqliteAdminStore(t.db);
    try {
      await store.createUser(user());
      const s = { idHash: 'h1', userId: 'u1', createdAt: 1, expiresAt: 100, lastSeenAt: 1, ip: '192.0.2.1', userAgent: 'ua' };
      await store.createSession(s);
      await store.createSession({ ...s, idHash: 'h2', expiresAt: 50 });
      await store.touchSession('h1', 9);
      assert.equal((await store.getSession('h1'))?.lastSeenAt, 9);
      assert.equal(await store.deleteExpiredSessions(60), 1);
      assert.equal(await store.deleteSessionsOfUser('u1'), 1);
      assert.equal(await store.getSession('h1'), null);

      const tok = { id: '0123456789abcdef', name: 'ci', userId: 'u1', tokenHash: 'ff', role: 'viewer' as const, createdAt: 1, expiresAt: 2, lastUsedAt: null };
      await store.createApiToken(tok);
      await store.touchApiToken(tok.id, 7);
      assert.deepEqual(await store.getApiToken(tok.id), { ...tok, lastUsedAt: 7 });
      assert.equal((await store.listApiTokens('u1')).length, 1);
      assert.equal((await store.listApiTokens('other')).length, 0);
      assert.equal(await store.deleteApiToken(tok.id), true);
      assert.equal(await store.deleteApiToken(tok.id), false);
    } finally {
      await store.close();
      t.remove();
    }
  });

  test('audit: newest first, filters, limit; details round-trip as JSON', async () => {
    const t = tempDb();
    t.db.exec(adminMigration.up as string);
    const store = new SqliteAdminStore(t.db);
    try {
      for (let i = 0; i < 5; i++) {
        await store.appendAudit({ id: `a${i}`, time: 1000 + i, actor: i % 2 ? 'user:bob' : 'user:alice', action: 'sign_in', target: 'x', details: { i } });
      }
      assert.deepEqual((await store.listAudit({})).map((e) => e.id), ['a4', 'a3', 'a2', 'a1', 'a0']);
      assert.deepEqual((await store.listAudit({ actor: 'user:bob' })).map((e) => e.details), [{ i: 3 }, { i: 1 }]);
      assert.deepEqual((await store.listAudit({ since: 1001, until: 1003 })).map((e) => e.id), ['a2', 'a1']);
      assert.equal((await store.listAudit({ limit: 2 })).length, 2);
      assert.equal((await store.listAudit({ actor: "' OR 1=1 --" })).length, 0);
    } finally {
      await store.close();
      t.remove();
    }
  });
});
