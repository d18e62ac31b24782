// Velocity: sliding windows per number (with escalating backoff), IP, /64, number block, user and
// country+channel, driven by a manual `now`. Sends are counted only when committed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounters } from '../../../src/adapters/counters/memory.ts';
import type { DefenseReason, SendContext } from '../../../src/core/defense/decision.ts';
import { velocityRule } from '../../../src/core/defense/rules/velocity.ts';
import { backoffWaitSeconds } from '../../../src/core/defense/rules/window-math.ts';
import { effective, sendContext, T0 } from './rules-context.ts';

/** A velocity rule over fresh counters; `send` commits only what is not blocked, as the service does. */
function harness(input: unknown = {}) {
  const deps = { counters: new MemoryCounters(), config: effective(input) };
  const check = (ctx: SendContext) => velocityRule.evaluate(ctx, deps);
  const send = async (ctx: SendContext): Promise<DefenseReason[]> => {
    const reasons = await check(ctx);
    if (!reasons.some((r) => r.action === 'block')) await velocityRule.commit!(ctx, deps);
    return reasons;
  };
  return { deps, check, send };
}
const worst = (rs: DefenseReason[]) => (rs.some((r) => r.action === 'block') ? 'block' : rs.some((r) => r.action === 'challenge') ? 'challenge' : 'allow');
const at = (seconds: number) => T0 + seconds * 1000;
const gb = (i: number) => `+44740${String(i).padStart(2, '0')}23456`; // one number per 10k block

describe('velocity: per number', () => {
  test('3 per 10 minutes, then blocked with a retryAfter; refused attempts are not counted', async () => {
    const h = harness({ velocity: { backoff: { enabled: false } } });
    for (const s of [0, 10, 20]) assert.equal(worst(await h.send(sendContext('+447400123456', { now: at(s) }))), 'allow');
    for (let i = 0; i < 5; i++) {
      const rs = await h.send(sendContext('+447400123456', { now: at(30) }));
      const r = rs.find((x) => x.rule === 'velocity.number');
      assert.equal(r?.action, 'block');
      assert.equal(r?.code, 'velocity_exceeded');
      // The first send leaves the window at 600 s: 570 s from now, rounded up to the bisection
      // step (~9 s) and the counters' resolution (~5 s), never down.
      assert.ok(r!.retryAfter! >= 570 && r!.retryAfter! <= 585, `retryAfter ${r!.retryAfter}`);
    }
    assert.equal(worst(await h.send(sendContext('+447400123456', { now: at(601) }))), 'allow', 'the blocked attempts used no budget');
  });

  test('backoff escalates 1 → 2 → 4 → 8 → 16 min after the grace, then decays when quiet', async () => {
    const h = harness({ velocity: { number: [], prefix3: [], prefix4: [] } });
    const n = '+447400123456';
    let t = 0;
    assert.equal(worst(await h.send(sendContext(n, { now: at(t) }))), 'allow');
    assert.equal(worst(await h.send(sendContext(n, { now: at((t += 1)) }))), 'allow', 'grace: an immediate resend');
    for (const wait of [60, 120, 240, 480, 960]) {
      const [r] = await h.send(sendContext(n, { now: at(t + 1) }));
      assert.equal(r?.rule, 'velocity.number-backoff');
      assert.equal(r?.details?.waitSeconds, wait);
      assert.ok(r!.retryAfter! >= wait - 1 && r!.retryAfter! <= wait + 1, `retryAfter ${r!.retryAfter} for wait ${wait}`);
      assert.equal(worst(await h.send(sendContext(n, { now: at(t + wait - 2) }))), 'block');
      assert.equal(worst(await h.send(sendContext(n, { now: at((t += wait)) }))), 'allow');
    }
    // Quiet for an hour: the window is empty again, grace included.
    t += 3600;
    assert.equal(worst(await h.send(sendContext(n, { now: at(t) }))), 'allow');
    assert.equal(worst(await h.send(sendContext(n, { now: at(t + 1) }))), 'allow');
  });

  test('backoff schedule is capped at maxSeconds (32 min by default)', () => {
    const b = { grace: 2, baseSeconds: 60, maxSeconds: 1920 };
    assert.deepEqual([0, 1, 2, 3, 4, 7, 8, 500].map((n) => backoffWaitSeconds(n, b)), [0, 0, 60, 120, 240, 1920, 1920, 1920]);
  });
});

describe('velocity: IP and networks', () => {
  test('carrier NAT: 30 users an hour behind one IP pass, the 31st is challenged, never blocked', async () => {
    const h = harness();
    for (let i = 0; i < 30; i++) {
      const rs = await h.send(sendContext(gb(i), { now: at(i * 60), userIdHash: `u${i}`, ip: '100.64.0.9' }));
      assert.equal(worst(rs), 'allow', `send ${i}`);
    }
    const rs = await h.send(sendContext(gb(40), { now: at(1900), userIdHash: 'u40', ip: '100.64.0.9' }));
    assert.equal(worst(rs), 'challenge');
    assert.equal(rs[0]?.rule, 'velocity.ip');
  });

  test('IPv6: addresses inside one /64 count together; another /64 is separate', async () => {
    const h = harness({ velocity: { ip: [], ip64: [{ windowSeconds: 3600, max: 5, action: 'challenge' }] } });
    for (let i = 0; i < 5; i++) await h.send(sendContext(gb(i), { userIdHash: `u${i}`, ip: `2001:db8:0:1:${(i + 1).toString(16)}::${i}` }));
    const same = await h.check(sendContext(gb(9), { userIdHash: 'u9', ip: '2001:0db8:0000:0001:ffff:1:2:3' }));
    assert.equal(same[0]?.rule, 'velocity.ip64');
    assert.equal(same[0]?.action, 'challenge');
    assert.deepEqual(await h.check(sendContext(gb(9), { userIdHash: 'u9', ip: '2001:db8:0:2::1' })), []);
  });

  test('IPv4 /24 groups neighbours; a mapped ::ffff: address counts as its IPv4', async () => {
    const h = harness({ velocity: { ip: [], ip24: [{ windowSeconds: 3600, max: 3, action: 'challenge' }] } });
    await h.send(sendContext(gb(1), { userIdHash: 'a', ip: '198.51.100.1' }));
    await h.send(sendContext(gb(2), { userIdHash: 'b', ip: '198.51.100.2' }));
    await h.send(sendContext(gb(3), { userIdHash: 'c', ip: '::ffff:198.51.100.3' }));
    assert.equal((await h.check(sendContext(gb(4), { userIdHash: 'd', ip: '198.51.100.200' })))[0]?.rule, 'velocity.ip24');
  });
});

describe('velocity: number blocks, users, countries', () => {
  test('sequential numbers in one 10k block: challenge after 8, block after 20 (with retryAfter)', async () => {
    const h = harness({ velocity: { prefix3: [], ip: [], user: [] } });
    const seq = (i: number) => `+4474001${String(2000 + i * 17).padStart(5, '0')}`;
    const actions: string[] = [];
    for (let i = 0; i < 22; i++) actions.push(worst(await h.send(sendContext(seq(i), { now: at(i * 5) }))));
    assert.deepEqual(actions.slice(0, 8), Array(8).fill('allow'));
    assert.deepEqual(actions.slice(8, 20), Array(12).fill('challenge'));
    assert.equal(actions[20], 'block');
    const r = (await h.check(sendContext(seq(30), { now: at(200) })))[0]!;
    assert.equal(r.rule, 'velocity.prefix4');
    assert.ok(r.retryAfter! > 3000 && r.retryAfter! <= 3600, `retryAfter ${r.retryAfter}`);
  });

  test('a number verified before (known good) is not held back by its block', async () => {
    const h = harness({ velocity: { prefix3: [], ip: [], user: [] } });
    for (let i = 0; i < 20; i++) await h.send(sendContext(`+44740012${String(3000 + i).padStart(4, '0')}`));
    assert.equal(worst(await h.check(sendContext('+447400129999'))), 'block');
    assert.equal(worst(await h.check(sendContext('+447400129999', { knownGood: true }))), 'allow');
  });

  test('one user sending to many numbers is blocked after 10 an hour', async () => {
    const h = harness({ velocity: { ip: [] } });
    for (let i = 0; i < 10; i++) assert.equal(worst(await h.send(sendContext(gb(i), { now: at(i) }))), 'allow');
    const [r] = await h.check(sendContext(gb(20), { now: at(11) }));
    assert.equal(r?.rule, 'velocity.user');
    assert.equal(r?.action, 'block');
  });

  test('country+channel limit names the channel (so the engine may offer the other one)', async () => {
    const h = harness({ velocity: { countryChannel: [{ windowSeconds: 3600, max: 2, action: 'block' }], ip: [], user: [] } });
    await h.send(sendContext(gb(1)));
    await h.send(sendContext(gb(2)));
    const [r] = await h.check(sendContext(gb(3)));
    assert.equal(r?.rule, 'velocity.country-channel');
    assert.equal(r?.details?.channel, 'sms');
    assert.deepEqual(await h.check(sendContext(gb(3), { channel: 'voice' })), []);
  });

  test('no IP (server-to-server API call) skips the IP scopes', async () => {
    const h = harness({ velocity: { ip: [{ windowSeconds: 3600, max: 1, action: 'challenge' }] } });
    await h.send(sendContext(gb(1), { ip: null }));
    assert.deepEqual(await h.check(sendContext(gb(2), { ip: null, userIdHash: 'x' })), []);
  });
});
