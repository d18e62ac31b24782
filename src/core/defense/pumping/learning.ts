// What the baselines may learn from. An attack must not become the normal, so nothing is learned
// while the country is on alert, an hour that looks like an attack (more sessions than expected
// and completion well below baseline) teaches nothing, and a busy hour's sessions count for less.
// Slow campaigns that never trip a trigger are exactly the ones that would otherwise drag the
// baselines down until they never trip one.
import { countryAlert } from './alert.ts';
import { completionMean, expectedPerHour, hourIndex } from './baseline.ts';
import { sumWindow } from './country-window.ts';
import type { CountryState, PumpingState } from './state.ts';

const HOUR = 3_600_000;

/** Baseline completion of a country's channel, shrunk towards the global one of the channel. */
export function baselineCompletion(st: PumpingState, cs: CountryState, now: number): number {
  const b = st.cfg.baseline;
  const prior = completionMean(st.global[cs.channel], b.priorCompletion, 10, now, b.completionHalfLifeMs);
  return completionMean(cs.completion, prior, b.priorStrength, now, b.completionHalfLifeMs);
}

/** Hour `hour` (epoch hours) had more sessions than expected and completion well below baseline. */
export function anomalousHour(st: PumpingState, cs: CountryState, hour: number, now: number): boolean {
  const counts = sumWindow(cs.window, hour * HOUR, (hour + 1) * HOUR - 1);
  const settled = counts.ok + counts.bad;
  if (settled < 4) return false;
  const expected = expectedPerHour(cs.volume, hour, st.cfg);
  const low = counts.ok / settled < baselineCompletion(st, cs, now) * (1 - st.cfg.country.completionDrop / 2);
  return low && counts.sessions > expected * 1.2;
}

/** Weight (0 = none) a settled session of `cs` started at `startAt` is learned with. */
export function learningWeight(st: PumpingState, cs: CountryState, startAt: number, now: number): number {
  if (countryAlert(st, cs.country, now)) return 0;
  if (cs.volume.hoursLearned < 24) return 1;
  const hour = hourIndex(startAt);
  if (anomalousHour(st, cs, hour, now)) return 0;
  const observed = sumWindow(cs.window, hour * HOUR, (hour + 1) * HOUR - 1).sessions;
  return Math.min(1, (2 * expectedPerHour(cs.volume, hour, st.cfg)) / Math.max(observed, 1));
}

/** The closed hour may teach the volume baseline. */
export function mayLearnHour(st: PumpingState, cs: CountryState, hour: number): boolean {
  const end = (hour + 1) * HOUR;
  return !countryAlert(st, cs.country, end) && !anomalousHour(st, cs, hour, end);
}
