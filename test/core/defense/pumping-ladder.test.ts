// The pumping detector's suspension ladder end to end, on hand-written event streams: a block
// climbs challenge → 15 min → 1 h → 12 h while the attack keeps knocking, is lifted once it stops,
// climbs straight back if it returns, and is forgotten after quiet periods. A country's channel
// only ever gets challenges (with another channel suggested), and trusted numbers pass.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PumpingDetector } from '../../../src/core/defense/pumping/index.ts';
import type { DefenseReason } from '../../../src/core/defense/decision.ts';
import { country } from './pumping-actors.ts';
import { HOUR, MIN, makeContext, makeEvent, Rng } from './pumping-traffic.ts';

const T0 = Date.UTC(2025, 0, 8, 2);
const az = country('AZ');
const BLOCK = '+99450123';

/** Assesses a send to `number` at `t`; sends it (an observed code.sent) when nothing stands in the way. */
function attempt(det: PumpingDetector, number: string, t: number, session: string, o: { knownGood?: boolean; solvesChallenges?: boolean } = {}): DefenseReason[] {
  const reasons = det.assess(makeContext(number, az, t, { knownGood: o.knownGood }), t);
  const blocked = reasons.some((r) => r.action === 'block');
  const challenged = reasons.some((r) => r.action === 'challenge');
  if (!blocked && (!challenged || o.solvesChallenges)) det.observe(makeEvent('code.sent', t, { session, number, country: az, cost: az.cost }));
  return reasons;
}

const prefixReason = (rs: DefenseReason[]) => rs.find((r) => r.rule === 'pumping.prefix');

describe('pumping suspension ladder', () => {
  test('a block climbs while knocked at, lifts when the attack stops, returns straight to the top, then is forgotten', () => {
    const det = new PumpingDetector();
    const rng = new Rng(5);
    let t = T0;
    let s = 0;
    const number = () => `${BLOCK}${rng.digits(4)}`;

    // A new country: the first few numbers go out, then concentration alone challenges.
    let first: DefenseReason | undefined;
    for (let i = 0; i < 6 && !first; i++, t += 10_000) first = prefixReason(attempt(det, number(), t, `s${++s}`));
    assert.ok(first, 'no reaction within 6 sends');
    assert.equal(first.action, 'challenge');
    assert.equal(first.details!.level, 1);

    // Two minutes later nobody has typed a code: concentration with failures blocks for 15 minutes.
    t += 2 * MIN;
    let r = prefixReason(attempt(det, number(), t, `s${++s}`))!;
    assert.equal(r.action, 'block');
    assert.equal(r.details!.level, 2);
    assert.ok(Math.abs(r.retryAfter! - 900) <= 1, `${r.retryAfter}`);

    // Knocking through the hold, then past it: 1 hour, then 12 hours.
    for (let i = 0; i < 16; i++, t += MIN) r = prefixReason(attempt(det, number(), t, `s${++s}`))!;
    assert.equal(r.details!.level, 3);
    assert.ok(Math.abs(r.retryAfter! - 3600 + 60) <= 61, `${r.retryAfter}`);
    for (let i = 0; i < 13; i++, t += 5 * MIN) r = prefixReason(attempt(det, number(), t, `s${++s}`))!;
    assert.equal(r.details!.level, 4);
    assert.ok(r.retryAfter! > 11 * 3600, `${r.retryAfter}`);
    const lastKnock = t - 5 * MIN;

    // The attack stops: an hour without knocks lifts it (probation remembers level 4).
    assert.equal(det.suspensions(lastKnock + 59 * MIN).filter((x) => x.key === BLOCK).length, 1);
    assert.deepEqual(det.suspensions(lastKnock + 61 * MIN).filter((x) => x.key === BLOCK), []);
    const probation = det.suspensions(lastKnock + 61 * MIN, { includeProbation: true }).find((x) => x.key === BLOCK);
    assert.equal(probation?.state, 'probation');
    assert.equal(probation?.level, 4);

    // It comes back two hours later: blocked on the first send, at the top of the ladder.
    t = lastKnock + 3 * HOUR;
    r = prefixReason(attempt(det, number(), t, `s${++s}`))!;
    assert.equal(r.action, 'block');
    assert.equal(r.details!.level, 4);

    // Quiet for a day and a bit: one step down per 6 hours, then forgotten; the block starts clean.
    const stepped = det.suspensions(t + HOUR + 7 * HOUR, { includeProbation: true }).find((x) => x.key === BLOCK);
    assert.equal(stepped?.level, 3);
    t += HOUR + 4 * 6 * HOUR + MIN;
    assert.deepEqual(det.suspensions(t, { includeProbation: true }).filter((x) => x.key === BLOCK), []);
    const fresh = `${BLOCK}0007`;
    assert.deepEqual(attempt(det, fresh, t, 'legit'), []);
    det.observe(makeEvent('code.verified', t + 20_000, { session: 'legit', number: fresh, country: az }));
    assert.deepEqual(det.assess(makeContext(`${BLOCK}0008`, az, t + MIN), t + MIN), []);
  });

  test('a challenged block whose solved sends still never verify is blocked; one that verifies is lifted', () => {
    const det = new PumpingDetector();
    let t = T0;
    let challengedAt = 0;
    for (let i = 0; i < 40; i++, t += 5_000) {
      const r = prefixReason(attempt(det, `${BLOCK}${String(1000 + i)}`, t, `a${i}`, { solvesChallenges: true }));
      if (r?.action === 'challenge' && !challengedAt) challengedAt = t;
      if (r?.action === 'block') break;
    }
    assert.ok(challengedAt > 0);
    assert.equal(det.suspensions(t).find((x) => x.key === BLOCK)?.action, 'block');
    assert.ok(t - challengedAt <= 2 * MIN, `blocked ${(t - challengedAt) / 1000} s after the first challenge`);

    // A company onboarding staff on adjacent numbers: concentrated, but everyone verifies.
    const corp = new PumpingDetector();
    let u = T0;
    for (let i = 0; i < 8; i++, u += 3 * MIN) {
      const n = `+99455777${String(100 + i)}`;
      attempt(corp, n, u, `c${i}`, { solvesChallenges: true });
      corp.observe(makeEvent('code.verified', u + 30_000, { session: `c${i}`, number: n, country: az }));
    }
    assert.deepEqual(corp.assess(makeContext('+99455777200', az, u), u), []);
    assert.deepEqual(corp.suspensions(u), []);
  });

  test('a country channel under a spread-out campaign is only ever challenged, with another channel offered', () => {
    const det = new PumpingDetector();
    const rng = new Rng(9);
    let t = T0;
    // A little normal traffic first, spread over the country.
    for (let i = 0; i < 30; i++, t += 20 * MIN) {
      const n = `+994${rng.pick(az.leads)}${rng.digits(7)}`;
      attempt(det, n, t, `n${i}`);
      det.observe(makeEvent('code.verified', t + 25_000, { session: `n${i}`, number: n, country: az }));
    }
    // Then three sends a minute to numbers all over the country, none ever verified; the bot
    // solves every challenge, so only blocks could stop it, and countries are never blocked.
    const seen: DefenseReason[] = [];
    for (let i = 0; i < 6 * 60 * 3; i++, t += 20_000) {
      const rs = attempt(det, `+994${rng.pick(az.leads)}${rng.digits(7)}`, t, `x${i}`, { solvesChallenges: true });
      seen.push(...rs.filter((r) => r.rule === 'pumping.country'));
    }
    assert.ok(seen.length > 0, 'the country was never suspended');
    assert.ok(seen.every((r) => r.action === 'challenge'));
    assert.ok(Math.max(...seen.map((r) => r.details!.level as number)) >= 3);
    const last = seen.at(-1)!;
    assert.equal(last.code, 'pumping_suspected');
    assert.deepEqual(last.details!.alternatives, ['voice']);
    assert.equal(last.details!.channel, 'sms');
    assert.ok((last.details!.baselineCompletion as number) > 0.5);
    // A number verified before skips the country challenge.
    assert.deepEqual(det.assess(makeContext(`+99450${rng.digits(7)}`, az, t, { knownGood: true }), t).filter((r) => r.rule === 'pumping.country'), []);
  });
});
