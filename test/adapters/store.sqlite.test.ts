// SqliteStore: the Store contract against a real temp-file database, plus SQLite-only behaviour
// (WAL, persistence across reopen, refusing a schema newer than the code).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/adapters/store/sqlite.ts';
import { runSqliteMigrations, SchemaTooNewError, sqliteMigrations } from '../../src/adapters/store/sqlite-migrations.ts';
import { makeEvent, makeSession, storeContract } from './store-contract.ts';

async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

storeContract('SqliteStore (file)', async () => {
  const { dir, remove } = await tempDir();
  const store = new SqliteStore(join(dir, 'tollgate.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await remove();
    },
  };
});

storeContract('SqliteStore (:memory:)', async () => {
  const store = new SqliteStore(':memory:');
  return { store, cleanup: () => store.close() };
});

describe('SqliteStore specifics', () => {
  test('a file database runs in WAL mode with the expected pragmas', async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, 'nested', 'dir', 'tollgate.db'); // the directory is created
    const store = new SqliteStore(path);
    try {
      await store.migrate();
      const db = (store as unknown as { db: Database.Database }).db; // per-connection pragmas
      assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
      const raw = new Database(path, { readonly: true });
      try {
        assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      } finally {
        raw.close();
      }
    } finally {
      await store.close();
      await remove();
    }
  });

  test('data persists across close and reopen', async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, 'tollgate.db');
    const session = makeSession({ kind: 'verification', selectedNumber: '+14155550100', status: 'code_sent' });
    const event = makeEvent();
    try {
      const first = new SqliteStore(path);
      await first.migrate();
      await first.createSession(session);
      await first.appendEvent(event);
      await first.setSetting('secret', 's3cr3t');
      await first.close();

      const second = new SqliteStore(path);
      try {
        await second.migrate();
        assert.deepEqual(await second.getSession(session.id), session);
        assert.deepEqual(await second.listEvents({ sessionId: event.sessionId! }), [event]);
        assert.equal(await second.getSetting('secret'), 's3cr3t');
        const raw = new Database(path, { readonly: true });
        try {
          const applied = raw.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
          assert.deepEqual(applied, sqliteMigrations.map((m) => ({ version: m.version, name: m.name })));
        } finally {
          raw.close();
        }
      } finally {
        await second.close();
      }
    } finally {
      await remove();
    }
  });

  test('a database stamped with a future migration is refused clearly', async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, 'tollgate.db');
    try {
      const store = new SqliteStore(path);
      await store.migrate();
      await store.close();
      const raw = new Database(path);
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'from_the_future', Date.now());
      raw.close();

      const reopened = new SqliteStore(path);
      try {
        await assert.rejects(reopened.migrate(), (err: unknown) => {
          assert.ok(err instanceof SchemaTooNewError);
          assert.equal(err.databaseVersion, 999);
          assert.match(err.message, /schema version 999/);
          assert.match(err.message, /newer Tollgate/);
          assert.ok(err.message.includes(path), 'names the database file');
          return true;
        });
      } finally {
        await reopened.close();
      }
    } finally {
      await remove();
    }
  });

  test('migration 2 adds reputation_entries with its (kind, value) index; phoneVerifiedBefore uses events_phone_time', async () => {
    const store = new SqliteStore(':memory:');
    try {
      await store.migrate();
      const db = (store as unknown as { db: Database.Database }).db;
      const index = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'reputation_kind_value'").get() as { sql: string } | undefined;
      assert.match(index?.sql ?? '', /reputation_entries \(kind, value\)/);
      const plan = db
        .prepare("EXPLAIN QUERY PLAN SELECT 1 FROM events INDEXED BY events_phone_time WHERE phone_number = ? AND type = 'session.verified' LIMIT 1")
        .all('+14155550100') as { detail: string }[];
      assert.ok(plan.some((p) => /USING INDEX events_phone_time \(phone_number=\?\)/.test(p.detail)), JSON.stringify(plan));
    } finally {
      await store.close();
    }
  });

  test('a version-1 database upgrades to migration 2 and keeps its data', async () => {
    const { dir, remove } = await tempDir();
    const path = join(dir, 'tollgate.db');
    try {
      const raw = new Database(path);
      runSqliteMigrations(raw, path, sqliteMigrations.filter((m) => m.version === 1));
      raw.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
      raw.close();
      const store = new SqliteStore(path);
      try {
        await store.migrate();
        assert.equal(await store.getSetting('k'), 'v');
        assert.deepEqual(await store.listReputation(), []);
      } finally {
        await store.close();
      }
    } finally {
      await remove();
    }
  });

  test('a migration recorded under another name is refused', async () => {
    const store = new SqliteStore(':memory:');
    try {
      await store.migrate();
      // Reach the connection only to simulate a tampered history.
      const db = (store as unknown as { db: Database.Database }).db;
      db.prepare('UPDATE schema_migrations SET name = ? WHERE version = 1').run('renamed');
      await assert.rejects(store.migrate(), /applied as "renamed"/);
    } finally {
      await store.close();
    }
  });
});
