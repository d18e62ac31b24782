// Pure alert evaluation: thresholds (above / below, at the boundary, per-group spend caps), minimum
// volume, the state machine per (rule, group) — fired once per episode, resolved, cooldown — and
// the rule schema's checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alertsConfigSchema } from '../../src/core/alerts/config.ts';
import { defaultAlertRules } from '../../src/core/alerts/defaults.ts';
import {
  type AlertGroupState, breachingGroups, evaluateRule, type MetricRow, spendCapFor, stepGroup, thresholdsOf,
} from '../../src/core/alerts/evaluation.ts';
import { type AlertRule, alertRuleSchema, describeRule, parseAlertRule, ruleIdFromName } from '../../src/core/alerts/rule.ts';
import { parseDefenseConfig } from '../../src/core/defense/defense-config.ts';
import { TollgateError } from '../../src/core/errors.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1, 12, 0);

function rule(over: Partial<AlertRule> & Record<string, unknown> = {}): AlertRule {
  return alertRuleSchema.parse({ id: 'r', name: 'R', metric: 'count', counts: 'unconfirmed', groupBy: 'prefix', threshold: 10, ...over });
}
const row = (group: string, value: number | null, volume = value ?? 0): MetricRow => ({ group, value, volume });

describe('thresholds and minimum volume', () => {
  test('above fires at or over the threshold, below strictly under it', () => {
    const r = rule({ threshold: 10 });
    assert.deepEqual(breachingGroups(r, [row('+4474001', 9), row('+4474002', 10), row('+4474003', 25)]).map((b) => b.group), ['+4474002', '+4474003']);
    const low = rule({ metric: 'conversion', counts: undefined, comparison: 'below', threshold: 0.25 });
    const got = breachingGroups(low, [row('GB', 0.25, 50), row('FR', 0.2499, 50), row('DE', 0, 50), row('IT', null, 0)]);
    assert.deepEqual(got.map((b) => [b.group, b.threshold]), [['DE', 0.25], ['FR', 0.25]], 'null (no base) never fires');
  });

  test('a group under its minimum volume does not fire however bad its share', () => {
    const r = rule({ metric: 'conversion', counts: undefined, comparison: 'below', threshold: 0.3, minVolume: 20 });
    // 2 sessions, none verified: conversion 0, but far too few to mean anything.
    assert.deepEqual(breachingGroups(r, [row('+4474001', 0, 2), row('+4474002', 0.1, 20)]).map((b) => b.group), ['+4474002']);
  });

  test('spend caps: a share of the global or per-country cap, hourly or daily; uncapped never fires', () => {
    const caps = parseDefenseConfig({ spend: { hour: 50, day: 400, countryDefault: { hour: 10, day: 100 }, countries: { LV: { hour: 2 }, US: { day: null } } } }).spend;
    assert.equal(spendCapFor(caps, 'hour', 'all', 'none'), 50);
    assert.equal(spendCapFor(caps, 'day', 'all', 'none'), 400);
    assert.equal(spendCapFor(caps, 'hour', 'LV', 'country'), 2);
    assert.equal(spendCapFor(caps, 'day', 'LV', 'country'), 100, 'a country without its own daily cap uses countryDefault');
    assert.equal(spendCapFor(caps, 'day', 'US', 'country'), null, 'null: uncapped');
    const byCountry = rule({ metric: 'spend', counts: undefined, groupBy: 'country', windowMinutes: 60, threshold: 0.8, relativeTo: 'spendCap' });
    const fired = breachingGroups(byCountry, [row('LV', 1.6, 4), row('GB', 7.9, 100), row('FR', 8, 100)], thresholdsOf(byCountry, caps));
    assert.deepEqual(fired.map((b) => [b.group, b.threshold]), [['FR', 8], ['LV', 1.6]]);
    const daily = rule({ metric: 'spend', counts: undefined, groupBy: 'country', windowMinutes: 1440, threshold: 0.8, relativeTo: 'spendCap' });
    assert.deepEqual(breachingGroups(daily, [row('US', 1e6, 1)], thresholdsOf(daily, caps)), [], 'an uncapped country has no threshold');
  });
});

describe('state per (rule, group)', () => {
  const r = rule({ cooldownMinutes: 30 });
  const breach = (group: string, value = 12) => ({ group, value, volume: value, threshold: 10 });

  function run(steps: { at: number; value: number | null }[]) {
    let state: AlertGroupState | null = null;
    const out: (string | null)[] = [];
    for (const s of steps) {
      const b = s.value !== null && s.value >= 10 ? breach('+4474001', s.value) : null;
      const st = stepGroup(r, state, b, s.value === null ? null : row('+4474001', s.value), T0 + s.at * MIN);
      state = st.next;
      out.push(st.notify);
    }
    return { out, state };
  }

  test('fires once per episode, not every minute, and resolves when it stops', () => {
    const { out } = run([{ at: 0, value: 12 }, { at: 1, value: 15 }, { at: 2, value: 30 }, { at: 3, value: 4 }]);
    assert.deepEqual(out, ['fired', null, null, 'resolved']);
  });

  test('cooldown: a flap right after a notification is held, and notifies once the cooldown has passed if still on', () => {
    const { out } = run([
      { at: 0, value: 12 }, // fired
      { at: 5, value: 2 }, // resolved
      { at: 6, value: 11 }, // within 30 min of the last notification: held
      { at: 20, value: 13 }, // still held
      { at: 30, value: 14 }, // cooldown over, still firing: notify now
      { at: 31, value: 14 },
    ]);
    assert.deepEqual(out, ['fired', 'resolved', null, null, 'fired', null]);
  });

  test('a held episode that ends is not announced as resolved; quiet state is forgotten after the cooldown', () => {
    const { out, state } = run([{ at: 0, value: 12 }, { at: 2, value: 1 }, { at: 3, value: 12 }, { at: 4, value: 1 }, { at: 40, value: 1 }]);
    assert.deepEqual(out, ['fired', 'resolved', null, null, null]);
    assert.equal(state, null, 'nothing left to remember');
  });

  test('evaluateRule: steps for breaching groups and remembered ones; a group that vanished resolves', () => {
    const firing: AlertGroupState = { ruleId: 'r', group: '+4474009', firing: true, notified: true, since: T0 - 10 * MIN, lastNotifiedAt: T0 - 10 * MIN, value: 14 };
    const other: AlertGroupState = { ...firing, ruleId: 'other' };
    const steps = evaluateRule(r, [row('+4474001', 11), row('+4474002', 3)], [firing, other], T0);
    assert.deepEqual(steps.map((s) => [s.group, s.notify]), [['+4474001', 'fired'], ['+4474009', 'resolved']]);
    const resolved = steps[1]!;
    assert.equal(resolved.value, null, 'no row any more');
    assert.deepEqual(resolved.next && { firing: resolved.next.firing, lastNotifiedAt: resolved.next.lastNotifiedAt }, { firing: false, lastNotifiedAt: T0 - 10 * MIN }, 'kept for its cooldown');
  });
});

describe('the rule schema', () => {
  const problem = (input: Record<string, unknown>) => {
    try {
      parseAlertRule(alertRuleSchema, { id: 'x', name: 'X', metric: 'count', counts: 'sends', threshold: 1, ...input });
    } catch (err) {
      assert.ok(err instanceof TollgateError);
      assert.equal(err.code, 'invalid_request');
      return err.steering.field;
    }
    return 'valid';
  };

  test('names the field at fault', () => {
    assert.equal(problem({}), 'valid');
    assert.equal(problem({ counts: undefined }), 'counts');
    assert.equal(problem({ metric: 'spend' }), 'counts');
    assert.equal(problem({ metric: 'rate', threshold: 5 }), 'threshold');
    assert.equal(problem({ threshold: -1 }), 'threshold');
    assert.equal(problem({ groupBy: 'none', actions: [{ type: 'block', minutes: 10 }] }), 'actions.0.type');
    assert.equal(problem({ groupBy: 'ip', actions: [{ type: 'webhook', url: 'ftp://example.com/x' }] }), 'actions.0.url');
    assert.equal(problem({ actions: [{ type: 'email', to: ['not-an-address'] }] }), 'actions.0.to.0');
    assert.equal(problem({ metric: 'spend', counts: undefined, relativeTo: 'spendCap', threshold: 0.8, windowMinutes: 30 }), 'windowMinutes');
    assert.equal(problem({ metric: 'spend', counts: undefined, relativeTo: 'spendCap', threshold: 0.8, groupBy: 'ip' }), 'relativeTo');
    assert.equal(problem({ id: 'Bad Id' }), 'id');
    assert.equal(problem({ name: 'two\nlines' }), 'name');
    assert.equal(problem({ surprise: true }), undefined, 'unknown keys are refused (no single field)');
  });

  test('the defaults are valid, enabled, notify only (no block) and say what they do', () => {
    const rules = defaultAlertRules([{ type: 'webhook', url: 'https://hooks.example.com/T/1', format: 'slack' }]);
    assert.ok(rules.length >= 8);
    for (const r of rules) {
      assert.ok(r.enabled && r.id.startsWith('default-'), r.id);
      assert.deepEqual(r.actions.map((a) => a.type), ['webhook']);
      assert.ok(r.description && r.description.length > 20);
    }
    const kinds = new Set(rules.map((r) => `${r.metric}:${r.groupBy}`));
    for (const k of ['count:prefix', 'count:ip', 'rate:country', 'conversion:country', 'conversion:prefix', 'spend:none', 'spend:country']) assert.ok(kinds.has(k), k);
    for (const r of rules.filter((x) => x.metric === 'conversion' || x.metric === 'rate')) assert.ok(r.minVolume >= 8, `${r.id} has a minimum volume`);
    assert.equal(describeRule(rules.find((r) => r.id === 'default-unconfirmed-prefix')!), 'unconfirmed count by prefix over 60 min ≥ 10');
  });

  test('configuration: duplicate ids refused; new ids made from the name', () => {
    const dup = alertsConfigSchema.safeParse({ rules: [{ id: 'a', name: 'A', metric: 'count', counts: 'sends', threshold: 1 }, { id: 'a', name: 'B', metric: 'count', counts: 'sends', threshold: 2 }] });
    assert.equal(dup.success, false);
    assert.deepEqual(dup.error!.issues[0]!.path, ['rules', 1, 'id']);
    assert.equal(ruleIdFromName('Spend to Latvia!', () => false), 'spend-to-latvia');
    assert.equal(ruleIdFromName('Spend', (id) => id === 'spend'), 'spend-2');
    assert.equal(ruleIdFromName('***', () => false), 'rule');
  });
});
