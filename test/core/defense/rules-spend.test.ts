// Spend caps: hourly/daily, global and per country, the alert near a cap and the hard stop at it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounters } from '../../../src/adapters/counters/memory.ts';
import type { SendContext } from '../../../src/core/defense/decision.ts';
import { spendKeys, spendRule } from '../../../src/core/defense/rules/spend.ts';
import { effective, MIN, sendContext, T0 } from './rules-context.ts';

function harness(input: unknown) {
  const deps = { counters: new MemoryCounters(), config: effective(input) };
  return {
    deps,
    check: (ctx: SendContext) => spendRule.evaluate(ctx, deps),
    commit: (ctx: SendContext) => spendRule.commit!(ctx, deps),
  };
}
const noCountryCaps = { countryDefault: { hour: null, day: null } };

describe('spend caps', () => {
  test('global hourly cap: quiet below the alert ratio, alert near the cap, hard stop past it', async () => {
    const h = harness({ spend: { hour: 1, day: null, ...noCountryCaps } });
    const send = (minute: number) => sendContext('+447400123456', { now: T0 + minute * MIN, estimatedCost: 0.2 });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await h.check(send(i)), [], `send ${i}`);
      await h.commit(send(i));
    }
    // Spent 0.60: this 0.20 brings it to 0.80 = 80 % of the cap.
    const [alert] = await h.check(send(3));
    assert.equal(alert?.action, 'allow');
    assert.equal(alert?.rule, 'spend.global-hour');
    assert.equal(alert?.details?.spendAlert, true);
    await h.commit(send(3));
    await h.commit(send(4)); // spent 1.00: exactly the cap
    const [stop] = await h.check(send(5));
    assert.equal(stop?.action, 'block');
    assert.equal(stop?.code, 'spend_cap_reached');
    // The first 0.20 leaves the hour at minute 60: 55 minutes from minute 5.
    assert.ok(stop!.retryAfter! >= 55 * 60 && stop!.retryAfter! <= 56 * 60 + 60, `retryAfter ${stop!.retryAfter}`);
    assert.equal((await h.check(send(61)))[0]?.action, 'allow', 'an hour later the budget is back (alert only)');
  });

  test('per-country caps: a listed country has its own, others use countryDefault', async () => {
    const h = harness({ spend: { hour: null, day: null, countryDefault: { hour: null, day: 1 }, countries: { AZ: { day: 0.5 } } } });
    const az = (cost: number) => sendContext('+994501234567', { estimatedCost: cost });
    const gb = (cost: number) => sendContext('+447400123456', { estimatedCost: cost });
    assert.equal(az(0).phone.region, 'AZ');
    await h.commit(az(0.39));
    const [r] = await h.check(az(0.39));
    assert.equal(r?.rule, 'spend.country-day');
    assert.equal(r?.action, 'block');
    assert.deepEqual(await h.check(gb(0.04)), [], 'GB has spent nothing');
    await h.commit(gb(0.9));
    assert.equal((await h.check(gb(0.2)))[0]?.action, 'block', 'the default country cap applies to GB');
  });

  test('non-geographic numbers share the `001` country budget', async () => {
    const h = harness({ spend: { hour: null, day: null, countryDefault: { hour: null, day: null }, countries: { '001': { hour: 0.5 } } } });
    const sat = sendContext('+881612345678', { estimatedCost: 0.5 });
    await h.commit(sat);
    assert.equal(await h.deps.counters.count(spendKeys.country(null), T0, 3_600_000), 0.5);
    assert.equal((await h.check(sat))[0]?.rule, 'spend.country-hour');
  });

  test('a single send dearer than the cap is refused with no retryAfter', async () => {
    const h = harness({ spend: { hour: 0.1, day: null, ...noCountryCaps } });
    const [r] = await h.check(sendContext('+447400123456', { estimatedCost: 0.5 }));
    assert.equal(r?.action, 'block');
    assert.equal(r?.retryAfter, undefined);
  });

  test("caps follow the deployment's normal day: 3× (an hour: 0.75×) the mean of the week before the last 24 hours, never below the configured cap", async () => {
    const h = harness({ spend: { hour: null, day: null, countryDefault: { hour: 1, day: 5 } } });
    const DAY = 24 * 60 * MIN;
    const gb = (at: number, cost = 1) => sendContext('+447400123456', { now: at, estimatedCost: cost });
    // A week of $10 a day to GB, before the last 24 hours.
    for (let d = 7; d >= 1; d--) for (let i = 0; i < 10; i++) await h.commit(gb(T0 - d * DAY - i * 60 * MIN));
    for (let k = 0; k < 7; k++) {
      assert.equal((await h.check(gb(T0 + k * MIN))).filter((r) => r.action === 'block').length, 0, `send ${k}`);
      await h.commit(gb(T0 + k * MIN));
    }
    // $7 spent this hour: the learned hourly cap is 0.75 × $10 = $7.50.
    const [stop] = (await h.check(gb(T0 + 8 * MIN))).filter((r) => r.action === 'block');
    assert.equal(stop?.rule, 'spend.country-hour');
    assert.deepEqual([stop?.details?.cap, stop?.details?.configuredCap, stop?.details?.learnedCap], [7.5, 1, true]);
    // Today's spend does not raise today's cap: $30 a day (3 × $10), however much went out today.
    for (let k = 0; k < 23; k++) await h.commit(gb(T0 + 2 * 60 * MIN + k * 30 * MIN));
    const [day] = (await h.check(gb(T0 + 20 * 60 * MIN))).filter((r) => r.action === 'block');
    assert.equal(day?.rule, 'spend.country-day');
    assert.equal(day?.details?.cap, 30);
    // A destination nobody pays for keeps the configured bound.
    const [az] = (await h.check(sendContext('+994501234567', { now: T0, estimatedCost: 1.5 }))).filter((r) => r.action === 'block');
    assert.deepEqual([az?.rule, az?.details?.cap], ['spend.country-hour', 1]);
    // Learning off: the configured caps.
    const fixed = harness({ spend: { hour: null, day: null, countryDefault: { hour: 1, day: 5 }, learn: { enabled: false } } });
    for (let d = 7; d >= 1; d--) for (let i = 0; i < 10; i++) await fixed.commit(gb(T0 - d * DAY - i * 60 * MIN));
    assert.equal((await fixed.check(gb(T0, 1.5)))[0]?.details?.cap, 1);
  });

  test('free sends are not counted; costs add up across channels', async () => {
    const h = harness({ spend: { hour: 1, day: null, ...noCountryCaps } });
    await h.commit(sendContext('+447400123456', { estimatedCost: 0 }));
    await h.commit(sendContext('+447400123456', { estimatedCost: 0.035, channel: 'voice' }));
    await h.commit(sendContext('+447400123456', { estimatedCost: 0.04 }));
    assert.equal(await h.deps.counters.count(spendKeys.global, T0, 3_600_000), 0.075);
  });
});
