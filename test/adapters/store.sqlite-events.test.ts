// SqliteStore event appends: committed one by one by default; with batchEventCommits(ms) they share
// a transaction (at most ms, at most 256 events): the store reads its own events at once, other
// connections see them once the batch commits, close() commits what is pending, and a failed
// insert fails only its own call.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/adapters/store/sqlite.ts';
import { makeEvent } from './store-contract.ts';

async function withStore(run: (store: SqliteStore, count: () => number) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-events-'));
  const path = join(dir, 'tollgate.db');
  const store = new SqliteStore(path);
  await store.migrate();
  store.batchEventCommits(10);
  const other = new Database(path, { readonly: true });
  try {
    await run(store, () => (other.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n);
  } finally {
    other.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('SqliteStore event appends', () => {
  test('are committed one by one by default: another connection sees each at once', async () => {
    await withStore(async (store, count) => {
      store.batchEventCommits(0);
      await store.appendEvent(makeEvent({ time: 1 }));
      assert.equal(count(), 1);
      await store.appendEvent(makeEvent({ time: 2 }));
      assert.equal(count(), 2);
    });
  });

  test('batched: are read back at once by the store, and committed for other connections a moment later', async () => {
    await withStore(async (store, count) => {
      for (let i = 0; i < 5; i++) await store.appendEvent(makeEvent({ time: 1000 + i }));
      assert.equal((await store.listEvents({})).length, 5);
      await sleep(20);
      assert.equal(count(), 5);
    });
  });

  test('a long burst commits every 256 events without waiting', async () => {
    await withStore(async (store, count) => {
      for (let i = 0; i < 600; i++) await store.appendEvent(makeEvent({ time: 1000 + i }));
      assert.equal(count(), 512);
      await sleep(20);
      assert.equal(count(), 600);
    });
  });

  test('close() commits what is pending, and the events survive a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-events-'));
    const path = join(dir, 'tollgate.db');
    try {
      const store = new SqliteStore(path);
      await store.migrate();
      store.batchEventCommits(10);
      await store.appendEvent(makeEvent({ id: 'evt-last' }));
      await store.close();
      const again = new SqliteStore(path);
      await again.migrate();
      assert.deepEqual((await again.listEvents({})).map((e) => e.id), ['evt-last']);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('an insert that fails (a duplicate id) fails its own call; the others are kept', async () => {
    await withStore(async (store, count) => {
      await store.appendEvent(makeEvent({ id: 'evt-a', time: 1 }));
      await assert.rejects(store.appendEvent(makeEvent({ id: 'evt-a', time: 2 })));
      await store.appendEvent(makeEvent({ id: 'evt-b', time: 3 }));
      await sleep(20);
      assert.equal(count(), 2);
      assert.deepEqual((await store.listEvents({})).map((e) => e.id), ['evt-a', 'evt-b']);
    });
  });
});
