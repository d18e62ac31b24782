// MemoryCounters: the shared Counters contract, plus what only the in-process adapter promises:
// idle keys are evicted, a busy key's memory stays bounded, merged hits never expire early.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounters } from '../../src/adapters/counters/memory.ts';
import { countersContract } from './counters-contract.ts';

countersContract('memory', () => new MemoryCounters());

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const HOUR = 3_600_000;

describe('MemoryCounters', () => {
  test('evicts keys idle longer than their longest window when the clock jumps forward', async () => {
    const c = new MemoryCounters();
    for (let i = 0; i < 100; i++) await c.hit(`short:${i}`, T0, 60_000);
    await c.hit('long', T0, 24 * HOUR);
    assert.equal(c.stats().keys, 101);
    await c.hit('other', T0 + 2 * HOUR, 60_000);
    assert.equal(c.stats().keys, 2, 'the 1-minute keys are gone; the 24-hour key stays');
    assert.equal(await c.count('long', T0 + 2 * HOUR, 24 * HOUR), 1);
    await c.hit('other', T0 + 30 * HOUR, 60_000);
    assert.equal(c.stats().keys, 1);
  });

  test('a key hit continuously keeps a bounded number of entries, with totals erring high by one quantum at most', async () => {
    const c = new MemoryCounters({ resolution: 64, maxEntries: 300 });
    let now = T0;
    for (let i = 0; i < 20_000; i++) await c.hit('busy', (now += 1000), HOUR);
    // Quantum = max(1 h / 64, 1 h / 300) ≈ 56 s, so ~64 entries per hour of retention.
    assert.ok(c.stats().entries <= 2 * 64 + 2, `entries ${c.stats().entries}`);
    // 3,600 hits lie inside the last hour; merging may keep up to one quantum more, never fewer.
    const inHour = await c.count('busy', now, HOUR);
    assert.ok(inHour >= 3600 && inHour <= 3600 + 57, `count ${inHour}`);
    // A longer window on the same key coarsens the quantum to retention / maxEntries, not beyond.
    await c.hit('wide', now, 24 * HOUR);
    await c.count('wide', now, 60_000);
    for (let i = 0; i < 5000; i++) await c.hit('wide', (now += 1000), 24 * HOUR);
    assert.ok(c.stats().entries <= 2 * 64 + 2 + 5000 / 288 + 2, `entries ${c.stats().entries}`);
  });

  test('idle keys expire on their own schedule, from a queue: a key hit again, or read over a longer window, lives on', async () => {
    const c = new MemoryCounters();
    const MIN = 60_000;
    await c.hit('a', T0, 10 * MIN);
    await c.hit('b', T0, 10 * MIN);
    await c.hit('c', T0, HOUR);
    // 'b' is hit again and 'c' is asked about over a day: both must outlive their first expiry.
    await c.hit('b', T0 + 8 * MIN, 10 * MIN);
    await c.count('c', T0 + 30 * MIN, 24 * HOUR);
    await c.hit('tick', T0 + 12 * MIN, MIN);
    assert.equal(await c.count('a', T0 + 12 * MIN, 10 * MIN), 0);
    assert.equal(c.stats().keys, 3, 'a is gone; b, c and tick live');
    await c.hit('tick', T0 + 20 * MIN, MIN);
    assert.equal(c.stats().keys, 2, 'b has expired too (its last hit was 12 minutes ago)');
    await c.hit('tick', T0 + 3 * HOUR, MIN);
    assert.equal(await c.count('c', T0 + 3 * HOUR, 24 * HOUR), 1, 'c is kept for the day it was asked about');
    await c.hit('tick', T0 + 25 * HOUR, MIN);
    assert.equal(c.stats().keys, 1);
    // After a reset and a new hit, the key expires from its new filing only.
    await c.hit('d', T0 + 25 * HOUR, 10 * MIN);
    await c.reset('d');
    await c.hit('d', T0 + 25 * HOUR + 5 * MIN, 10 * MIN);
    await c.hit('tick', T0 + 25 * HOUR + 12 * MIN, MIN);
    assert.equal(await c.count('d', T0 + 25 * HOUR + 12 * MIN, 10 * MIN), 1);
  });

  test('a sweep looks at the keys that may have expired, not at every key', async () => {
    const c = new MemoryCounters();
    for (let i = 0; i < 5000; i++) await c.hit(`day:${i}`, T0, 24 * HOUR);
    // A virtual minute per hit: 1,000 sweeps, and no day key is due in any of them.
    for (let i = 1; i <= 1000; i++) await c.hit('busy', T0 + i * 60_000, HOUR);
    assert.equal(c.stats().keys, 5001);
    assert.ok(c.stats().examined < 100, `examined ${c.stats().examined} keys`);
    await c.hit('busy', T0 + 25 * HOUR, HOUR);
    assert.equal(c.stats().keys, 1);
    assert.ok(c.stats().examined < 5200, `examined ${c.stats().examined} keys`);
  });

  test('isolated hits keep their exact time (per-number backoff needs second precision)', async () => {
    const c = new MemoryCounters();
    await c.hit('n', T0, 24 * HOUR);
    assert.equal(await c.count('n', T0 + 59_999, 60_000), 1);
    assert.equal(await c.count('n', T0 + 60_000, 60_000), 0);
  });
});
