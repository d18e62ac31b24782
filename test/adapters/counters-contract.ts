// The behaviour every Counters adapter must have (memory now, Redis later): sliding-window totals,
// amounts, read-only counts, reset, and clocks that jump. Windows are checked with a ±2 % margin
// so bucketed implementations pass too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Counters } from '../../src/ports.ts';

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const W = 600_000; // 10 minutes

export function countersContract(name: string, make: () => Counters | Promise<Counters>): void {
  let seq = 0;
  // Fresh keys per test so an adapter backed by a shared server needs no flush between tests.
  const key = (label: string) => `contract:${name}:${label}:${process.pid}:${++seq}`;

  describe(`Counters contract: ${name}`, () => {
    test('an unknown key counts 0', async () => {
      const c = await make();
      assert.equal(await c.count(key('none'), T0, W), 0);
    });

    test('hit returns the total inside the window, this hit included; count agrees', async () => {
      const c = await make();
      const k = key('hits');
      assert.equal(await c.hit(k, T0, W), 1);
      assert.equal(await c.hit(k, T0 + 1000, W), 2);
      assert.equal(await c.hit(k, T0 + 2000, W, 3), 5);
      assert.equal(await c.count(k, T0 + 2000, W), 5);
    });

    test('hits slide out of the window', async () => {
      const c = await make();
      const k = key('slide');
      await c.hit(k, T0, W);
      await c.hit(k, T0 + W / 2, W);
      assert.equal(await c.count(k, T0 + W * 0.98, W), 2);
      assert.equal(await c.count(k, T0 + W * 1.02, W), 1);
      assert.equal(await c.count(k, T0 + W * 1.52, W), 0);
    });

    test('one key answers for several windows', async () => {
      const c = await make();
      const k = key('windows');
      await c.hit(k, T0, 86_400_000);
      await c.hit(k, T0 + 3 * 3_600_000, 86_400_000);
      const now = T0 + 3 * 3_600_000 + 60_000;
      assert.equal(await c.count(k, now, 3_600_000), 1);
      assert.equal(await c.count(k, now, 86_400_000), 2);
    });

    test('fractional amounts (spend) add up without float noise', async () => {
      const c = await make();
      const k = key('money');
      for (let i = 0; i < 10; i++) await c.hit(k, T0 + i * 1000, W, 0.1);
      await c.hit(k, T0 + 11_000, W, 0.2);
      assert.equal(await c.count(k, T0 + 11_000, W), 1.2);
    });

    test('keys are independent and reset forgets one key only', async () => {
      const c = await make();
      const a = key('a');
      const b = key('b');
      await c.hit(a, T0, W);
      await c.hit(a, T0, W);
      await c.hit(b, T0, W);
      await c.reset(a);
      assert.equal(await c.count(a, T0, W), 0);
      assert.equal(await c.count(b, T0, W), 1);
      assert.equal(await c.hit(a, T0 + 1, W), 1);
    });

    test('count is read-only: asking about a later instant forgets nothing', async () => {
      const c = await make();
      const k = key('readonly');
      await c.hit(k, T0, W);
      await c.hit(k, T0 + 1000, W);
      assert.equal(await c.count(k, T0 + 10 * W, W), 0);
      assert.equal(await c.count(k, T0 + 1000, W), 2);
    });

    test('a clock jumping forward by days finds empty windows and counts afresh', async () => {
      const c = await make();
      const k = key('jump');
      for (let i = 0; i < 5; i++) await c.hit(k, T0 + i, W);
      const later = T0 + 3 * 86_400_000;
      assert.equal(await c.count(k, later, W), 0);
      assert.equal(await c.hit(k, later, W), 1);
      assert.equal(await c.count(k, later + W / 2, W), 1);
    });

    test('a hit stamped earlier than the latest one (clock stepped back) is not lost', async () => {
      const c = await make();
      const k = key('back');
      await c.hit(k, T0 + 60_000, W);
      await c.hit(k, T0, W);
      assert.equal(await c.count(k, T0 + 60_000, W), 2);
    });

    test('many hits in one window all count; concurrent hits are not lost', async () => {
      const c = await make();
      const k = key('many');
      for (let i = 0; i < 3000; i++) await c.hit(k, T0 + i * 100, W);
      assert.equal(await c.count(k, T0 + 299_900, W), 3000);
      const k2 = key('concurrent');
      await Promise.all(Array.from({ length: 50 }, (_, i) => c.hit(k2, T0 + i, W)));
      assert.equal(await c.count(k2, T0 + 50, W), 50);
    });

    test('rejects a non-positive window', async () => {
      const c = await make();
      await assert.rejects(c.count(key('bad'), T0, 0), RangeError);
      await assert.rejects(c.hit(key('bad'), T0, -5), RangeError);
    });
  });
}
