// The in-memory single-use store: first claim wins, expiry frees a key, the size stays bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../src/adapters/clock/manual-clock.ts';
import { MemoryReplayStore } from '../../../src/adapters/captcha/replay-store.ts';

test('a key is claimed once until it expires', async () => {
  const clock = new ManualClock(1_000_000);
  const store = new MemoryReplayStore({ clock });
  assert.equal(await store.claim('k', clock.now() + 60_000), true);
  assert.equal(await store.claim('k', clock.now() + 60_000), false);
  clock.advance(60_000);
  assert.equal(await store.claim('k', clock.now() + 60_000), true);
});

test('of concurrent claims of one key exactly one wins', async () => {
  const clock = new ManualClock(1_000_000);
  const store = new MemoryReplayStore({ clock });
  const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('same', clock.now() + 1_000)));
  assert.equal(results.filter(Boolean).length, 1);
});

test('bounded: expired keys go first, then the oldest', async () => {
  const clock = new ManualClock(1_000_000);
  const store = new MemoryReplayStore({ clock, maxEntries: 3 });
  await store.claim('old', clock.now() + 10);
  await store.claim('a', clock.now() + 60_000);
  await store.claim('b', clock.now() + 60_000);
  clock.advance(20); // 'old' has expired
  await store.claim('c', clock.now() + 60_000);
  assert.equal(store.size, 3);
  assert.equal(await store.claim('a', clock.now() + 60_000), false, 'live keys survive while expired ones can go');
  await store.claim('d', clock.now() + 60_000); // full of live keys: 'a' (oldest) is evicted
  assert.equal(store.size, 3);
  assert.equal(await store.claim('d', clock.now() + 60_000), false);
});
