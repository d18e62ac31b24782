// Rebuilding the pumping detector from recorded events at start-up (seed), and the detector as a
// defense rule. Seeding is observing in order; a detector seeded from a live run's events
// suspends the same pumped block the live one did.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PumpingDetector, pumpingRule } from '../../../src/core/defense/pumping/index.ts';
import type { DefenseRule } from '../../../src/core/defense/rules/rule.ts';
import type { TollgateEvent } from '../../../src/core/events/event.ts';
import { attack, country, inBlock, legitTraffic } from './pumping-actors.ts';
import { DAY, HOUR, makeContext, makeEvent, Rng, World } from './pumping-traffic.ts';

const T0 = Date.UTC(2025, 0, 6);

/** A day of legitimate traffic and a burst, run live (observe + assess), with every event kept. */
function liveRun(): { live: PumpingDetector; events: TollgateEvent[]; end: number; block: string } {
  const live = new PumpingDetector();
  const events: TollgateEvent[] = [];
  const observe = live.observe.bind(live);
  live.observe = (e) => {
    events.push(e);
    observe(e);
  };
  const w = new World(live, new Rng(3));
  const start = T0 + DAY + 2 * HOUR;
  const end = start + HOUR;
  legitTraffic(w, { perDay: 2000, from: T0, to: end });
  const lk = country('LK');
  const block = `+94${lk.leads[2]}${w.rng.digits(3)}`;
  const next = inBlock(block);
  attack(w, { label: 'burst', from: start, to: end, perMin: 30, target: (r) => ({ number: next(r), country: lk }) });
  w.runUntil(end);
  return { live, events, end, block };
}

describe('pumping detector start-up and rule', () => {
  test('seed(events) is the same as observing them one by one', () => {
    const { events, end } = liveRun();
    assert.ok(events.length > 5000);
    const seeded = new PumpingDetector();
    seeded.seed(events);
    const observed = new PumpingDetector();
    for (const e of events) observed.observe(e);
    assert.deepEqual(seeded.stats(end), observed.stats(end));
    assert.deepEqual(seeded.suspensions(end, { includeProbation: true }), observed.suspensions(end, { includeProbation: true }));
  });

  test('a detector seeded from a live run suspends the block the live one suspended', () => {
    const { live, events, end, block } = liveRun();
    const seeded = new PumpingDetector();
    seeded.seed(events);
    const liveKeys = live.suspensions(end, { includeProbation: true }).map((s) => s.key);
    const seededKeys = seeded.suspensions(end, { includeProbation: true }).map((s) => s.key);
    assert.ok(liveKeys.includes(block));
    assert.ok(seededKeys.includes(block), JSON.stringify(seededKeys));
    const ctx = makeContext(`${block}9999`, country('LK'), end);
    assert.equal(seeded.assess(ctx, end)[0]?.action, 'block');
    // The rest of the country still gets its codes.
    const day = seeded.stats(end).countries.find((c) => c.key === 'LK:sms')!;
    assert.ok(day.last24h.sends > 0 && day.baselineCompletion > 0.6, JSON.stringify(day));
  });

  test('is a defense rule: id, reason code, order, and evaluate = assess at ctx.now', async () => {
    const { events, end, block } = liveRun();
    const det = new PumpingDetector();
    det.seed(events);
    const rule: DefenseRule = pumpingRule(det);
    assert.equal(rule.id, 'pumping');
    assert.equal(rule.code, 'pumping_suspected');
    assert.ok(rule.order! > 40 && rule.order! < 50);
    const ctx = makeContext(`${block}9998`, country('LK'), end);
    const reasons = await rule.evaluate(ctx, undefined as never);
    assert.equal(reasons[0]?.rule, 'pumping.prefix');
    assert.equal(reasons[0]?.shadow, false);
  });

  test('ignores email codes and events without a number', () => {
    const det = new PumpingDetector();
    const lk = country('LK');
    for (let i = 0; i < 20; i++) {
      const e = makeEvent('code.sent', T0 + i * 1000, { session: `m${i}`, number: `+9477123${String(1000 + i)}`, country: lk });
      det.observe({ ...e, channel: 'email' });
      det.observe({ ...e, phoneNumber: null });
    }
    assert.equal(det.stats(T0 + DAY).tracked.numbers, 0);
    assert.deepEqual(det.suspensions(T0 + DAY), []);
  });
});
