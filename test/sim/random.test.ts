// The simulator's randomness and agenda: labelled streams are reproducible and independent, the
// distributions have the right centre, and the event queue orders by (time, insertion).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EventQueue } from '../../src/simulator/event-queue.ts';
import { Rng } from '../../src/simulator/random.ts';

describe('simulator randomness', () => {
  test('a stream is a pure function of seed and label', () => {
    const a = Rng.stream(7, 'legit/arrivals/US/0');
    const b = Rng.stream(7, 'legit/arrivals/US/0');
    const xs = Array.from({ length: 50 }, () => a.u32());
    assert.deepEqual(Array.from({ length: 50 }, () => b.u32()), xs);
  });

  test('different labels and seeds give different streams', () => {
    const first = (seed: number, label: string) => Rng.stream(seed, label).u32();
    assert.notEqual(first(7, 'attack/A1a/plan'), first(7, 'legit/arrivals/US/0'));
    assert.notEqual(first(7, 'x'), first(8, 'x'));
  });

  test('drawing from one stream does not move another', () => {
    const legit = Rng.stream(1, 'legit');
    const expected = Array.from({ length: 5 }, () => legit.float());
    const legit2 = Rng.stream(1, 'legit');
    const attack = Rng.stream(1, 'attack');
    const got = Array.from({ length: 5 }, () => (attack.float(), legit2.float()));
    assert.deepEqual(got, expected);
  });

  test('distributions are centred where they should be', () => {
    const r = Rng.stream(3, 'stats');
    const n = 20_000;
    let sum = 0;
    const lognormal: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = r.float();
      assert.ok(x >= 0 && x < 1);
      sum += x;
      lognormal.push(r.lognormal(25, 0.8));
    }
    assert.ok(Math.abs(sum / n - 0.5) < 0.01);
    lognormal.sort((a, b) => a - b);
    assert.ok(Math.abs(lognormal[n / 2]! - 25) < 1.5, `lognormal median ${lognormal[n / 2]}`);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[r.weighted([1, 2, 3])]!++;
    assert.ok(Math.abs(counts[2]! / 30_000 - 0.5) < 0.02);
  });

  test('the event queue pops by time, then by insertion order', async () => {
    const q = new EventQueue();
    const seen: string[] = [];
    q.push(20, () => void seen.push('c'));
    q.push(10, () => void seen.push('a'));
    q.push(20, () => void seen.push('d'));
    q.push(10, () => void seen.push('b'));
    q.push(5, () => void seen.push('first'));
    while (q.size) await q.pop()!.run();
    assert.deepEqual(seen, ['first', 'a', 'b', 'c', 'd']);
    assert.throws(() => q.push(Number.NaN, () => {}), RangeError);
  });
});
