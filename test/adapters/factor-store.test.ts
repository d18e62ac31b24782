// SqliteFactorStore against a real temp-file SQLite database with migration 3 applied: the
// enrollment life cycle, one active per user, compare-and-set steps, single-use recovery codes
// and the attempt budget.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { type NewTotpEnrollment, SqliteFactorStore } from '../../src/adapters/store/sqlite-factors.ts';
import { factorsMigration } from '../../src/adapters/store/sqlite-migrations-factors.ts';
import { runSqliteMigrations, sqliteMigrations } from '../../src/adapters/store/sqlite-migrations.ts';

let dir: string;
let db: Database.Database;
let store: SqliteFactorStore;

function enrollment(id: string, userIdHash = 'user-a', createdAt = 1_000): NewTotpEnrollment {
  return { id, appId: 'app', userIdHash, secretBox: `v1.box-of-${id}`, algorithm: 'SHA1', digits: 6, period: 30, createdAt };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-factors-'));
  db = new Database(join(dir, 'tollgate.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(factorsMigration.up);
  store = new SqliteFactorStore(db);
});

afterEach(async () => {
  await store.close();
  db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SqliteFactorStore', () => {
  test('migration 3 is numbered and named for the lead to append, and runs after the others', () => {
    assert.equal(factorsMigration.version, 3);
    assert.equal(factorsMigration.name, 'totp_factors');
    const fresh = new Database(':memory:');
    try {
      const all = [...sqliteMigrations.filter((m) => m.version !== 3), factorsMigration];
      runSqliteMigrations(fresh, 'test', all);
      runSqliteMigrations(fresh, 'test', all); // idempotent
      const versions = fresh.prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version').all();
      assert.ok(versions.some((v) => v.version === 3));
      assert.ok(fresh.prepare("SELECT 1 FROM sqlite_master WHERE name = 'totp_enrollments'").get());
    } finally {
      fresh.close();
    }
  });

  test('create → pending; confirm → active with the proving step; getters agree', async () => {
    const created = await store.createTotpEnrollment(enrollment('e1'));
    assert.equal(created.status, 'pending');
    assert.equal(await store.getActiveTotp('app', 'user-a'), null);
    assert.equal(await store.confirmTotp('e1', 100, 2_000, ['h1', 'h2']), true);
    const active = await store.getActiveTotp('app', 'user-a');
    assert.deepEqual(active, { ...created, status: 'active', confirmedAt: 2_000, lastUsedStep: 100 });
    assert.deepEqual(await store.getTotpEnrollment('e1'), active);
    assert.equal(await store.countUnusedRecoveryCodes('e1'), 2);
    assert.equal(await store.confirmTotp('e1', 101, 3_000), false, 'confirming twice fails');
    assert.equal(await store.confirmTotp('nope', 1, 3_000), false);
  });

  test('a new confirmation replaces the active enrollment and wipes the old secret and codes', async () => {
    await store.createTotpEnrollment(enrollment('old'));
    await store.confirmTotp('old', 10, 2_000, ['old-code']);
    await store.createTotpEnrollment(enrollment('new'));
    await store.confirmTotp('new', 20, 3_000, ['new-code']);
    assert.equal((await store.getActiveTotp('app', 'user-a'))?.id, 'new');
    const old = await store.getTotpEnrollment('old');
    assert.equal(old?.status, 'disabled');
    assert.equal(old?.disabledAt, 3_000);
    assert.equal(old?.secretBox, '');
    assert.equal(await store.countUnusedRecoveryCodes('old'), 0);
  });

  test('the schema itself allows one active enrollment per app and user', async () => {
    await store.createTotpEnrollment(enrollment('a'));
    await store.createTotpEnrollment(enrollment('b'));
    await store.confirmTotp('a', 1, 2_000);
    assert.throws(() => db.prepare("UPDATE totp_enrollments SET status = 'active' WHERE id = 'b'").run(), /UNIQUE/);
    await store.createTotpEnrollment(enrollment('other-user', 'user-b'));
    assert.equal(await store.confirmTotp('other-user', 1, 2_000), true, 'other users are independent');
  });

  test('updateLastUsedStep is a compare-and-set that only moves forward', async () => {
    await store.createTotpEnrollment(enrollment('e1'));
    await store.confirmTotp('e1', 100, 2_000);
    const [first, second] = await Promise.all([store.updateLastUsedStep('e1', 100, 101), store.updateLastUsedStep('e1', 100, 101)]);
    assert.deepEqual([first, second].sort(), [false, true], 'two parallel submissions of one code: one passes');
    assert.equal((await store.getTotpEnrollment('e1'))?.lastUsedStep, 101);
    assert.equal(await store.updateLastUsedStep('e1', 101, 101), false, 'same step again');
    assert.equal(await store.updateLastUsedStep('e1', 101, 99), false, 'backwards');
    assert.equal(await store.updateLastUsedStep('e1', 100, 102), false, 'stale expectation');
    assert.equal(await store.updateLastUsedStep('e1', 101, 102), true);
    await store.createTotpEnrollment(enrollment('pending'));
    assert.equal(await store.updateLastUsedStep('pending', null, 5), false, 'only active enrollments');
  });

  test('recovery codes: each used once, atomically; replaced as a set; dead once disabled', async () => {
    await store.createTotpEnrollment(enrollment('e1'));
    await store.confirmTotp('e1', 1, 2_000, ['h1', 'h2', 'h3']);
    const results = await Promise.all([store.useRecoveryCode('e1', 'h1', 3_000), store.useRecoveryCode('e1', 'h1', 3_000)]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.equal(await store.useRecoveryCode('e1', 'h1', 4_000), false, 'single use');
    assert.equal(await store.useRecoveryCode('e1', 'zz', 4_000), false);
    assert.equal(await store.countUnusedRecoveryCodes('e1'), 2);
    await store.putRecoveryCodes('e1', ['n1', 'n2']);
    assert.equal(await store.useRecoveryCode('e1', 'h2', 5_000), false, 'the old set is gone');
    assert.equal(await store.countUnusedRecoveryCodes('e1'), 2);
    assert.equal(await store.disableTotp('e1', 6_000), true);
    assert.equal(await store.disableTotp('e1', 7_000), false);
    assert.equal(await store.useRecoveryCode('e1', 'n1', 8_000), false);
    assert.equal(await store.getActiveTotp('app', 'user-a'), null);
  });

  test('attempt budget: taken before checking, sliding window, cleared on success', async () => {
    await store.createTotpEnrollment(enrollment('e1'));
    const window = 300_000;
    for (let i = 1; i <= 5; i++) {
      assert.deepEqual(await store.takeTotpAttempt('e1', 10_000 + i, window, 5), { allowed: true, used: i, retryAt: null });
    }
    assert.deepEqual(await store.takeTotpAttempt('e1', 20_000, window, 5), { allowed: false, used: 5, retryAt: 10_001 + window });
    assert.deepEqual(await store.takeTotpAttempt('e1', 10_001 + window, window, 5), { allowed: true, used: 5, retryAt: null }, 'the oldest left the window');
    await store.clearTotpAttempts('e1');
    assert.equal((await store.takeTotpAttempt('e1', 400_000, window, 5)).used, 1);
    const parallel = await Promise.all(Array.from({ length: 8 }, () => store.takeTotpAttempt('e1', 400_001, window, 5)));
    assert.equal(parallel.filter((b) => b.allowed).length, 4, 'parallel guesses cannot exceed the budget');
  });

  test('stale pending enrollments are purged; confirmed ones are kept', async () => {
    await store.createTotpEnrollment(enrollment('stale', 'u1', 1_000));
    await store.createTotpEnrollment(enrollment('fresh', 'u2', 9_000));
    await store.createTotpEnrollment(enrollment('kept', 'u3', 1_000));
    await store.confirmTotp('kept', 1, 2_000);
    assert.equal(await store.purgePendingTotp(5_000), 1);
    assert.equal(await store.getTotpEnrollment('stale'), null);
    assert.ok(await store.getTotpEnrollment('fresh'));
    assert.ok(await store.getTotpEnrollment('kept'));
  });

  test('opens a path itself (the schema is migrated elsewhere)', async () => {
    const path = join(dir, 'nested', 'own.db');
    const own = new SqliteFactorStore(path);
    const raw = new Database(path);
    raw.exec(factorsMigration.up);
    raw.close();
    await own.createTotpEnrollment(enrollment('p1'));
    assert.equal((await own.getTotpEnrollment('p1'))?.status, 'pending');
    await own.close();
  });
});
