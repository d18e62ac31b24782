// Metric formulas on hand-made traces: spend blocked against run (c), loss before detection, time
// and sends to detect (detector rules only), containment, legit rates, pairing, explainability.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AttemptRecord } from '../../src/simulator/attack/attacker.ts';
import type { JourneyOutcome } from '../../src/simulator/legit/journey.ts';
import { attackMetrics, containment } from '../../src/simulator/metrics/attack.ts';
import { recovery } from '../../src/simulator/metrics/defense.ts';
import { compareWithBaseline, legitMetrics, verifiedKeys } from '../../src/simulator/metrics/legit.ts';
import { classifyRefusal, type ClassifiedRefusal, explainability, joinRefusals, reasonsOf, suspensionEpisodes } from '../../src/simulator/metrics/refusals.ts';

const MIN = 60_000;
const T0 = 1_000_000_000_000;

const attempt = (minute: number, sent: boolean, cost = 0.4): AttemptRecord => ({
  t: T0 + minute * MIN, intendedCost: cost, outcome: sent ? 'sent' : 'blocked', sentAt: sent ? T0 + minute * MIN : null, cost: sent ? cost : 0, billedMinutes: 0, test: false,
});
const refusal = (minute: number, cls: ClassifiedRefusal['cls'], rules: string[] = []): ClassifiedRefusal => ({ t: T0 + minute * MIN, sessionId: `s${minute}`, code: 'x', actor: 'attack', index: minute, cls, rules });

describe('attack metrics', () => {
  // 60 planned sends, one a minute: the first 10 go out, a static refusal at minute 3 is not
  // detection, the detector refuses from minute 10; one leak at minute 30.
  const records = Array.from({ length: 60 }, (_, m) => attempt(m, m < 10 || m === 30));
  const refusals = [refusal(3, 'static', ['number-type']), ...Array.from({ length: 49 }, (_, k) => refusal(10 + k + (k >= 20 ? 1 : 0), 'detector', ['velocity.prefix4']))];
  const m = attackMetrics({ family: 'burst', records, unimpeded: { sends: 60, cost: 24, billedMinutes: 0 }, refusals, start: T0, end: T0 + 60 * MIN, captchaSolves: 2, captchaCost: 0.004, revenueShare: 0.5 });

  test('spend and requests blocked against the unimpeded schedule', () => {
    assert.equal(m.sends, 11);
    assert.equal(m.cost, 4.4);
    assert.equal(m.spendBlocked, Math.round((1 - 4.4 / 24) * 1e6) / 1e6);
    assert.equal(m.requestsBlocked, Math.round((1 - 11 / 60) * 1e6) / 1e6);
  });

  test('detection is the first detector refusal; static rules are reported apart', () => {
    assert.equal(m.ttdMinutes, 10);
    assert.equal(m.ttdSends, 10);
    assert.equal(m.detectedBy, 'velocity.prefix4');
    assert.equal(m.staticFirstMinutes, 3);
    assert.equal(m.lossBeforeDetection, 4);
    assert.equal(m.lossTotal, 4.4);
    assert.equal(m.leakagePerHourAfterDetection, Math.round((0.4 / (50 / 60)) * 1e4) / 1e4);
    assert.deepEqual(m.refusals, { detector: 49, static: 1, cap: 0, challenge: 0, throttle: 0, other: 0 });
    assert.equal(m.attackerNet, Math.round((0.5 * 4.4 - 0.004) * 1e4) / 1e4);
  });

  test('containment: the window after which every window blocks ≥95 % of its cost', () => {
    // Windows of 5 min: 0–5 and 5–10 leak; 30–35 leaks 1 of 5 sends (20 %); after it nothing leaks.
    assert.equal(m.containmentMinutes, 35);
    assert.equal(containment(records.map((r) => ({ ...r, sentAt: null, cost: 0 })), T0, T0 + 60 * MIN), 0);
    assert.equal(containment(records.map((r) => ({ ...r, sentAt: r.t, cost: r.intendedCost })), T0, T0 + 60 * MIN), null);
  });

  test('never detected: all loss counts as before detection', () => {
    const none = attackMetrics({ family: 'burst', records, unimpeded: { sends: 60, cost: 24, billedMinutes: 0 }, refusals: [refusal(3, 'static')], start: T0, end: T0 + 60 * MIN, captchaSolves: 0, captchaCost: 0, revenueShare: 0.5 });
    assert.equal(none.ttdMinutes, null);
    assert.equal(none.ttdSends, null);
    assert.equal(none.lossBeforeDetection, none.lossTotal);
  });
});

describe('legitimate-user metrics', () => {
  const j = (key: string, o: Partial<JourneyOutcome>): JourneyOutcome => ({ key, country: 'US', measured: true, verified: false, blocked: false, challenged: false, lostAtChallenge: false, hardBlocked: false, end: 'abandoned', cost: 0.01, sends: 1, ...o });
  const outcomes = [
    j('a', { verified: true }),
    j('b', { verified: true, blocked: true }),
    j('c', { hardBlocked: true, blocked: true, end: 'blocked' }),
    j('d', { challenged: true, verified: true }),
    j('e', {}),
    j('warm', { measured: false, hardBlocked: true }),
  ];

  test('rates over measured journeys only', () => {
    const m = legitMetrics(outcomes, new Set([2]));
    assert.equal(m.journeys, 5);
    assert.equal(m.verified, 3);
    assert.equal(m.completionRate, 0.6);
    assert.equal(m.hardBlocked, 1);
    assert.equal(m.hardBlockedRate, 0.2);
    assert.equal(m.blockedThenVerified, 1);
    assert.equal(m.challenged, 1);
    assert.equal(m.touchedByDetectors, 1);
    assert.equal(m.cost, 0.05);
  });

  test('pairing with the baseline: delta in points and journeys lost', () => {
    const base = legitMetrics([j('a', { verified: true }), j('b', { verified: true }), j('c', { verified: true }), j('d', { verified: true }), j('e', {})]);
    const run = legitMetrics(outcomes);
    const paired = compareWithBaseline(run, verifiedKeys(outcomes), new Set(['a', 'b', 'c', 'd', 'e']), base, ['a', 'b', 'c', 'd']);
    assert.equal(paired.completionDeltaPp, -20);
    assert.equal(paired.collateralLost, 1);
  });
});

describe('refusal classification and explainability', () => {
  const decision = (rule: string, code = 'velocity_exceeded', extra: object = {}) => ({ decision: { reasons: [{ code, rule, action: 'block', shadow: false, ...extra }] } });

  test('detector, static, cap and shadow reasons', () => {
    assert.equal(classifyRefusal('pumping_suspected', reasonsOf(decision('pumping.prefix'))), 'detector');
    assert.equal(classifyRefusal('ip_reputation', reasonsOf(decision('reputation.hosting'))), 'detector');
    assert.equal(classifyRefusal('number_type_blocked', reasonsOf(decision('number-type'))), 'static');
    assert.equal(classifyRefusal('spend_cap_reached', reasonsOf(decision('spend.country-hour'))), 'cap');
    assert.equal(classifyRefusal('country_not_allowed', []), 'static');
    assert.equal(classifyRefusal('resend_cooldown', []), 'throttle');
    assert.equal(classifyRefusal('captcha_required', []), 'challenge');
    // A detector in shadow mode did not refuse anything.
    assert.equal(classifyRefusal('number_type_blocked', reasonsOf({ decision: { reasons: [{ code: 'x', rule: 'pumping.prefix', action: 'block', shadow: true }, { code: 'y', rule: 'number-type', action: 'block', shadow: false }] } })), 'static');
  });

  test('refusals join their events by session and instant', () => {
    const joined = joinRefusals(
      [{ t: 5, sessionId: 's1', code: 'velocity_exceeded', actor: 'attack', index: 0 }, { t: 9, sessionId: 's2', code: 'country_not_allowed', actor: 'legit', index: 3 }],
      [{ sessionId: 's1', time: 5, reason: 'velocity_exceeded', details: decision('velocity.prefix4') }],
    );
    assert.deepEqual(joined.map((r) => [r.cls, r.rules]), [['detector', ['velocity.prefix4']], ['static', []]]);
  });

  test('explainability counts decisions that name code and rule', () => {
    const e = explainability([
      { sessionId: 'a', time: 1, reason: 'velocity_exceeded', details: decision('velocity.ip') },
      { sessionId: 'b', time: 2, reason: 'country_not_allowed', details: {} },
      { sessionId: 'c', time: 3, reason: 'captcha_failed', details: {} },
      { sessionId: 'd', time: 4, reason: 'resend_cooldown', details: {} },
    ]);
    assert.deepEqual(e, { explained: 1, total: 2 });
  });

  test('suspension episodes are read from detector reasons that name scope and start', () => {
    const pumping = (since: number, until: number, prefix = '+99440123') => ({ decision: { reasons: [{ code: 'pumping_suspected', rule: 'pumping.prefix', action: 'block', shadow: false, details: { scope: 'prefix4', prefix, since, until } }] } });
    const episodes = suspensionEpisodes([
      { sessionId: 'a', time: 10, reason: 'pumping_suspected', details: pumping(5, 100) },
      { sessionId: 'b', time: 20, reason: 'pumping_suspected', details: pumping(5, 160) },
      { sessionId: 'c', time: 30, reason: 'pumping_suspected', details: pumping(25, 90, '+99450999') },
      { sessionId: 'd', time: 40, reason: 'velocity_exceeded', details: decision('velocity.ip') },
    ]);
    assert.deepEqual(episodes, [
      { kind: 'prefix4', value: '+99440123', createdBy: 'detector:pumping.prefix', createdAt: 5, expiresAt: 160 },
      { kind: 'prefix4', value: '+99450999', createdBy: 'detector:pumping.prefix', createdAt: 25, expiresAt: 90 },
    ]);
  });

  test('recovery: minutes until the last suspension from the attack is lifted', () => {
    const s = (createdAt: number, expiresAt: number | null) => ({ id: String(createdAt), kind: 'prefix' as const, value: '+99440', list: 'block' as const, createdAt, expiresAt, note: '', createdBy: 'detector:pumping' });
    const attack = { start: T0, end: T0 + 120 * MIN };
    assert.equal(recovery([], attack), 0);
    assert.equal(recovery([s(T0 + 10 * MIN, T0 + 180 * MIN)], attack), 60);
    assert.equal(recovery([s(T0 - MIN, null)], attack), 0, 'older suspensions are not this attack’s');
    assert.equal(recovery([s(T0 + MIN, null)], attack), null);
  });
});
