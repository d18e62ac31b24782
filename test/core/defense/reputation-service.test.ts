// ReputationService over a real SQLite file: validated adds, de-duplication, removal, listing and
// the cached ReputationLists (refresh on change, on expiry, every 10 s for other writers).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { SqliteStore } from '../../../src/adapters/store/sqlite.ts';
import { TollgateError } from '../../../src/core/errors.ts';
import { ReputationService } from '../../../src/services/reputation-service.ts';

const T0 = 1_750_000_000_000;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tollgate-reputation-'));
});
after(() => rm(dir, { recursive: true, force: true }));

let n = 0;
async function setup() {
  const store = new SqliteStore(join(dir, `db-${++n}.db`));
  await store.migrate();
  const clock = new ManualClock(T0);
  let id = 0;
  const svc = new ReputationService(store, clock, () => `rep-${++id}`);
  return { store, clock, svc };
}

describe('ReputationService', () => {
  test('add validates and normalises; ttl and expiresAt set the expiry', async () => {
    const { svc, store } = await setup();
    try {
      const e = await svc.add({ kind: 'number', value: '+44 7400 123456', list: 'block', ttlSeconds: 3600, note: ' pumping ', createdBy: 'cli' });
      assert.deepEqual(e, { id: 'rep-1', kind: 'number', value: '+447400123456', list: 'block', createdAt: T0, expiresAt: T0 + 3_600_000, note: 'pumping', createdBy: 'cli' });
      assert.deepEqual(await store.listReputation(), [e]);
      const f = await svc.add({ kind: 'asn', value: 'AS16509', list: 'allow', expiresAt: T0 + 5000, createdBy: 'api:admin' });
      assert.equal(f.value, '16509');
      assert.equal(f.expiresAt, T0 + 5000);
      assert.equal((await svc.add({ kind: 'country', value: 'ng', list: 'block', createdBy: 'cli' })).expiresAt, null);

      const bad: [Parameters<ReputationService['add']>[0], string][] = [
        [{ kind: 'ip', value: '1.2.3', list: 'block', createdBy: 'cli' }, 'value'],
        [{ kind: 'colour', value: 'red', list: 'block', createdBy: 'cli' }, 'kind'],
        [{ kind: 'ip', value: '1.2.3.4', list: 'grey', createdBy: 'cli' }, 'list'],
        [{ kind: 'ip', value: '1.2.3.4', list: 'block', ttlSeconds: 0, createdBy: 'cli' }, 'ttl'],
        [{ kind: 'ip', value: '1.2.3.4', list: 'block', ttlSeconds: 60, expiresAt: T0 + 1, createdBy: 'cli' }, 'ttl'],
        [{ kind: 'ip', value: '1.2.3.4', list: 'block', expiresAt: T0, createdBy: 'cli' }, 'expiresAt'],
        [{ kind: 'ip', value: '1.2.3.4', list: 'block', note: 'x'.repeat(501), createdBy: 'cli' }, 'note'],
        [{ kind: 'ip', value: '1.2.3.4', list: 'block', createdBy: ' ' }, 'createdBy'],
      ];
      for (const [input, field] of bad) {
        await assert.rejects(svc.add(input), (err: unknown) => err instanceof TollgateError && err.code === 'invalid_request' && err.steering.field === field, field);
      }
      assert.equal((await store.listReputation()).length, 3, 'nothing stored by refused adds');
    } finally {
      await store.close();
    }
  });

  test('re-adding an active entry updates it and never shortens it', async () => {
    const { svc, store, clock } = await setup();
    try {
      const first = await svc.add({ kind: 'prefix', value: '+4474001', list: 'block', ttlSeconds: 3600, note: 'first', createdBy: 'detector:pumping' });
      const longer = await svc.add({ kind: 'prefix', value: '+44 74001', list: 'block', ttlSeconds: 7200, createdBy: 'detector:pumping' });
      assert.equal(longer.id, first.id);
      assert.equal(longer.expiresAt, T0 + 7_200_000);
      assert.equal(longer.note, 'first', 'an empty note keeps the old one');
      const shorter = await svc.add({ kind: 'prefix', value: '+4474001', list: 'block', ttlSeconds: 60, note: 'again', createdBy: 'cli' });
      assert.equal(shorter.expiresAt, T0 + 7_200_000);
      assert.equal(shorter.note, 'again');
      assert.equal(shorter.createdBy, 'cli');
      const permanent = await svc.add({ kind: 'prefix', value: '+4474001', list: 'block', createdBy: 'cli' });
      assert.equal(permanent.expiresAt, null);
      assert.equal((await svc.add({ kind: 'prefix', value: '+4474001', list: 'block', ttlSeconds: 60, createdBy: 'cli' })).expiresAt, null);
      assert.equal((await svc.list()).length, 1);
      // The other list, or an expired twin, is a separate entry.
      await svc.add({ kind: 'prefix', value: '+4474001', list: 'allow', createdBy: 'cli' });
      const temp = await svc.add({ kind: 'ip', value: '192.0.2.1', list: 'block', ttlSeconds: 60, createdBy: 'cli' });
      clock.advance(61_000);
      const again = await svc.add({ kind: 'ip', value: '192.0.2.1', list: 'block', ttlSeconds: 60, createdBy: 'cli' });
      assert.notEqual(again.id, temp.id);
      assert.equal((await store.listReputation()).length, 4);
    } finally {
      await store.close();
    }
  });

  test('list hides expired entries unless asked; remove reports whether it removed', async () => {
    const { svc, clock, store } = await setup();
    try {
      const a = await svc.add({ kind: 'ip', value: '192.0.2.1', list: 'block', ttlSeconds: 60, createdBy: 'cli' });
      const b = await svc.add({ kind: 'cidr', value: '198.51.100.0/24', list: 'allow', createdBy: 'cli' });
      clock.advance(60_000);
      assert.deepEqual((await svc.list()).map((e) => e.id), [b.id]);
      assert.deepEqual((await svc.list({ includeExpired: true })).map((e) => e.id), [a.id, b.id]);
      assert.equal(await svc.remove(a.id), true);
      assert.equal(await svc.remove(a.id), false);
      assert.deepEqual((await svc.list({ includeExpired: true })).map((e) => e.id), [b.id]);
    } finally {
      await store.close();
    }
  });

  test('lists() is cached; refreshed after local changes, at expiry, and every 10 s', async () => {
    const { svc, clock, store } = await setup();
    try {
      const first = await svc.lists();
      assert.equal(await svc.lists(), first, 'cached');
      const [x, y] = await Promise.all([svc.lists(), svc.lists()]);
      assert.equal(x, y);

      const e = await svc.add({ kind: 'number', value: '+447400123456', list: 'block', ttlSeconds: 30, createdBy: 'cli' });
      const afterAdd = await svc.lists();
      assert.notEqual(afterAdd, first);
      assert.equal(afterAdd.matchPhone('+447400123456', 'GB')?.entry.id, e.id);

      // Another process writes straight to the database: seen within 10 s.
      await store.putReputation({ ...e, id: 'other', kind: 'country', value: 'FR', expiresAt: null });
      clock.advance(9_999);
      assert.equal((await svc.lists()).matchPhone('+33612345678', 'FR'), null);
      clock.advance(1);
      assert.equal((await svc.lists()).matchPhone('+33612345678', 'FR')?.entry.id, 'other');

      // The number's block expires at T0 + 30 s: the lists are rebuilt then, not up to 10 s later.
      clock.set(T0 + 25_000);
      const before = await svc.lists();
      assert.ok(before.matchPhone('+447400123456', 'GB'));
      clock.set(T0 + 30_000);
      assert.equal((await svc.lists()).matchPhone('+447400123456', 'GB'), null);

      assert.equal(await svc.remove('other'), true);
      assert.equal((await svc.lists()).matchPhone('+33612345678', 'FR'), null);
    } finally {
      await store.close();
    }
  });

  test('a change during a load is not lost', async () => {
    const { svc, store } = await setup();
    try {
      const loading = svc.lists();
      await svc.add({ kind: 'country', value: 'NG', list: 'block', createdBy: 'cli' });
      await loading;
      assert.ok((await svc.lists()).matchPhone('+2348031234567', 'NG'));
    } finally {
      await store.close();
    }
  });
});
