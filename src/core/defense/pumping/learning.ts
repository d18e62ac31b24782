// What the baselines may learn from. An attack must not become the normal. Each closed hour is
// folded into the baselines one hour late, once its sessions have settled, and only when it looks
// normal: nothing is learned for a destination where nobody verified lately, nor while the
// country is on alert, nor from an hour whose last six hours completed far below the baseline
// (judged with a confidence bound, so thin hours count too), and a busy hour's sessions count for
// less. Without these guards a campaign on a country with little
// or no history would teach the detector that unverified sends are what that country does, and a
// slow campaign that never trips a trigger would drag the baselines down until it never could.
import { countryAlert } from './alert.ts';
import { addOutcome, completionMean, expectedPerHour, learnHour } from './baseline.ts';
import { sessionsBetween, sumWindow } from './country-window.ts';
import { wilson } from './stats.ts';
import type { CountryState, PumpingState } from './state.ts';

const HOUR = 3_600_000;
/** How far back the completion of an hour is judged (thin hours borrow from the hours before). */
const ANOMALY_WINDOW_HOURS = 6;
/** Settled sessions an anomaly needs, and the one-sided confidence of the bound (95 %). */
const ANOMALY_MIN_SETTLED = 2;
const ANOMALY_Z = 1.645;

/** Baseline completion of a country's channel, shrunk towards the global one of the channel. */
export function baselineCompletion(st: PumpingState, cs: CountryState, now: number): number {
  const b = st.cfg.baseline;
  const prior = completionMean(st.global[cs.channel], b.priorCompletion, 10, now, b.completionHalfLifeMs);
  return completionMean(cs.completion, prior, b.priorStrength, now, b.completionHalfLifeMs);
}

/**
 * Legitimate use of the destination was seen lately: at least `country.recoveryVerified` sessions
 * to the country (either channel, outside suspended blocks) verified in the last week.
 */
export function countryProven(st: PumpingState, cs: CountryState, now: number): boolean {
  const need = st.cfg.country.recoveryVerified;
  const since = now - st.cfg.concentration.weekMs;
  let n = 0;
  for (const channel of ['sms', 'voice'] as const) {
    const other = channel === cs.channel ? cs : st.countries.get(`${cs.country}:${channel}`);
    for (const t of other?.verifiedAt ?? []) if (t >= since) n++;
  }
  return n >= need;
}

/**
 * The sessions of the hours up to `hour` (epoch hours) completed far below the baseline: the
 * upper confidence bound of their completion is under baseline × (1 − completionDrop / 2).
 */
export function anomalousHour(st: PumpingState, cs: CountryState, hour: number, now: number): boolean {
  const counts = sumWindow(cs.window, (hour - ANOMALY_WINDOW_HOURS + 1) * HOUR, (hour + 1) * HOUR - 1);
  const settled = counts.ok + counts.bad;
  if (settled < ANOMALY_MIN_SETTLED) return false;
  return wilson(counts.ok, settled, ANOMALY_Z).upper < baselineCompletion(st, cs, now) * (1 - st.cfg.country.completionDrop / 2);
}

/**
 * Folds closed hour `hour` of one country into its volume and completion baselines (and the
 * channel's global completion), unless it may not teach. Called an hour after it closed.
 */
export function foldHour(st: PumpingState, cs: CountryState, hour: number, now: number): void {
  // A destination with no legitimate use yet has nothing to learn: its baselines stay at the
  // floor and the prior until some of its sessions verify.
  if (!countryProven(st, cs, now) || countryAlert(st, cs.country, now) || anomalousHour(st, cs, hour, now)) return;
  const cfg = st.cfg;
  const from = hour * HOUR;
  const sessions = sessionsBetween(cs.window, from, from + HOUR);
  const expected = expectedPerHour(cs.volume, hour, cfg);
  learnHour(cs.volume, hour, sessions, cfg);
  const counts = sumWindow(cs.window, from, from + HOUR - 1);
  if (counts.ok + counts.bad === 0) return;
  // A busy hour (a flash crowd, a push) weighs at most twice a normal one.
  const weight = cs.volume.hoursLearned > 24 ? Math.min(1, (2 * expected) / Math.max(sessions, 1)) : 1;
  const half = cfg.baseline.completionHalfLifeMs;
  for (const b of [cs.completion, st.global[cs.channel]]) {
    if (counts.ok > 0) addOutcome(b, true, now, half, counts.ok * weight);
    if (counts.bad > 0) addOutcome(b, false, now, half, counts.bad * weight);
  }
}
