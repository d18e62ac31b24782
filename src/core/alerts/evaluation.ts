// Pure evaluation of one alert rule: from the metric's rows per group (adapters/store/sqlite-alerts-
// metrics.ts) to the groups that breach the threshold, then the state machine per (rule, group)
// that turns "breaching now" into notifications: fired once per episode, resolved when it stops,
// and a cooldown so a group that flaps around its threshold does not notify every minute.
import type { DefenseSettings } from '../defense/defense-config.ts';
import type { AlertComparison, AlertRule } from './rule.ts';

/** One group's measurement over the rule's window. */
export interface MetricRow {
  /** The group key: an IP, an E.164 number, a prefix, an ISO region (`001`: non-geographic), a policy id, or `all`. */
  group: string;
  /** The metric; null when it is undefined (a share with no base). */
  value: number | null;
  /** What `minVolume` is compared with: the count itself, a share's base, or the sends behind a spend. */
  volume: number;
}

/** A group over its threshold (or under it, for `below`). */
export interface Breach {
  group: string;
  value: number;
  volume: number;
  threshold: number;
}

/** The group key of `groupBy: none`. */
export const ALL_GROUP = 'all';

/** The threshold for a group; null = no threshold (e.g. an uncapped country), never fires. */
export type ThresholdFor = (group: string) => number | null;

export function breaches(comparison: AlertComparison, value: number, threshold: number): boolean {
  // A tolerance for sums of money and shares computed in floating point.
  const eps = 1e-9 * Math.max(1, Math.abs(threshold));
  return comparison === 'above' ? value >= threshold - eps : value < threshold - eps;
}

/** The groups of `rows` that breach the rule, with enough volume, in group order. */
export function breachingGroups(rule: AlertRule, rows: readonly MetricRow[], thresholdFor: ThresholdFor = () => rule.threshold): Breach[] {
  const out: Breach[] = [];
  for (const row of rows) {
    if (row.value === null || !Number.isFinite(row.value)) continue;
    if (row.volume < rule.minVolume) continue;
    const threshold = thresholdFor(row.group);
    if (threshold === null) continue;
    if (breaches(rule.comparison, row.value, threshold)) out.push({ group: row.group, value: row.value, volume: row.volume, threshold });
  }
  return out.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

// ---- spend caps --------------------------------------------------------------------------------

export type SpendCaps = DefenseSettings['spend'];
const NON_GEOGRAPHIC = '001';

/** The cap a `relativeTo: spendCap` rule compares with, per group (as the defense's spend rule reads them). */
export function spendCapFor(caps: SpendCaps, window: 'hour' | 'day', group: string, groupBy: 'none' | 'country'): number | null {
  if (groupBy === 'none') return caps[window];
  const own = caps.countries[group || NON_GEOGRAPHIC];
  const cap = own?.[window] !== undefined ? own[window] : caps.countryDefault[window];
  return cap ?? null;
}

/** Each group's threshold: the rule's own, or its share of the matching spend cap. */
export function thresholdsOf(rule: AlertRule, caps: SpendCaps): ThresholdFor {
  if (rule.relativeTo !== 'spendCap') return () => rule.threshold;
  const window = rule.windowMinutes === 1440 ? 'day' : 'hour';
  const groupBy = rule.groupBy === 'country' ? 'country' : 'none';
  return (group) => {
    const cap = spendCapFor(caps, window, group, groupBy);
    return cap === null ? null : rule.threshold * cap;
  };
}

// ---- state per (rule, group) -------------------------------------------------------------------

export interface AlertGroupState {
  ruleId: string;
  group: string;
  /** Breaching at the last evaluation. */
  firing: boolean;
  /** This episode (since it started firing) has been notified. */
  notified: boolean;
  /** Start of the current state (firing or not). */
  since: number;
  lastNotifiedAt: number | null;
  /** The value at the last evaluation that saw the group. */
  value: number | null;
}

export type Notification = 'fired' | 'resolved';

export interface GroupStep {
  group: string;
  /** The state to keep; null = forget the group (quiet and out of its cooldown). */
  next: AlertGroupState | null;
  notify: Notification | null;
  /** Present when the group breaches now. */
  breach: Breach | null;
  /** The group's current value (null when it has no row any more). */
  value: number | null;
  volume: number;
}

const MINUTE = 60_000;

/**
 * One transition of the state machine:
 * - quiet → breaching: the episode starts; it notifies `fired` unless the group notified within
 *   the cooldown (then the episode is held, and notifies once the cooldown has passed, if still on);
 * - breaching → breaching: nothing new (no reminder every minute);
 * - breaching → quiet: `resolved` when the episode was notified, silently otherwise.
 */
export function stepGroup(rule: AlertRule, prev: AlertGroupState | null, breach: Breach | null, current: MetricRow | null, now: number): GroupStep {
  const group = breach?.group ?? prev?.group ?? current?.group ?? '';
  const value = breach?.value ?? current?.value ?? null;
  const volume = breach?.volume ?? current?.volume ?? 0;
  const cooledDown = prev?.lastNotifiedAt == null || now - prev.lastNotifiedAt >= rule.cooldownMinutes * MINUTE;
  const base = { ruleId: rule.id, group, value };
  if (breach) {
    if (prev?.firing) {
      if (prev.notified || !cooledDown) return { group, next: { ...prev, value }, notify: null, breach, value, volume };
      return { group, next: { ...prev, value, notified: true, lastNotifiedAt: now }, notify: 'fired', breach, value, volume };
    }
    const next: AlertGroupState = { ...base, firing: true, since: now, notified: cooledDown, lastNotifiedAt: cooledDown ? now : (prev?.lastNotifiedAt ?? null) };
    return { group, next, notify: cooledDown ? 'fired' : null, breach, value, volume };
  }
  if (prev?.firing) {
    const next: AlertGroupState = { ...base, firing: false, notified: false, since: now, lastNotifiedAt: prev.lastNotifiedAt };
    return { group, next: keep(next, rule, now), notify: prev.notified ? 'resolved' : null, breach: null, value, volume };
  }
  return { group, next: prev ? keep({ ...prev, value }, rule, now) : null, notify: null, breach: null, value, volume };
}

/** A quiet group is remembered only while its cooldown runs. */
function keep(state: AlertGroupState, rule: AlertRule, now: number): AlertGroupState | null {
  if (state.firing) return state;
  if (state.lastNotifiedAt !== null && now - state.lastNotifiedAt < rule.cooldownMinutes * MINUTE) return state;
  return null;
}

/**
 * Every group of a rule that is breaching now or has state: its step. Groups neither breaching nor
 * remembered are left out (nothing to do or keep).
 */
export function evaluateRule(
  rule: AlertRule,
  rows: readonly MetricRow[],
  states: readonly AlertGroupState[],
  now: number,
  thresholdFor?: ThresholdFor,
): GroupStep[] {
  const breachList = breachingGroups(rule, rows, thresholdFor);
  const breachBy = new Map(breachList.map((b) => [b.group, b]));
  const rowBy = new Map(rows.map((r) => [r.group, r]));
  const stateBy = new Map(states.filter((s) => s.ruleId === rule.id).map((s) => [s.group, s]));
  const groups = [...new Set([...breachBy.keys(), ...stateBy.keys()])].sort();
  return groups.map((g) => stepGroup(rule, stateBy.get(g) ?? null, breachBy.get(g) ?? null, rowBy.get(g) ?? null, now));
}
